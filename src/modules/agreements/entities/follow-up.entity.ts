import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';
import { User } from '../../identity/entities/user.entity.js';
import { Agreement } from './agreement.entity.js';

/** Something to do about an agreement by a day, by a staff member. */
@Entity('follow_ups')
@Index('IDX_follow_ups_agreement_due', ['agreementId', 'dueOn', 'id'])
@Index('IDX_follow_ups_tenant_due', ['tenantId', 'dueOn', 'id'])
@Index('IDX_follow_ups_owner_due', ['ownerUserId', 'dueOn', 'id'])
export class FollowUp extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_follow_ups' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'agreement_id', type: 'uuid' })
  agreementId: string;

  @ManyToOne(() => Agreement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id', foreignKeyConstraintName: 'FK_follow_ups_agreement' })
  agreement?: Agreement;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ name: 'owner_user_id', type: 'uuid' })
  ownerUserId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_user_id', foreignKeyConstraintName: 'FK_follow_ups_owner' })
  owner?: User;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** When it was marked done; null while open. */
  @Column({ name: 'done_at', type: 'timestamptz', precision: 3, nullable: true })
  doneAt: Date | null;

  @Index('IDX_follow_ups_done_by')
  @Column({ name: 'done_by', type: 'uuid', nullable: true })
  doneBy: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'done_by', foreignKeyConstraintName: 'FK_follow_ups_done_by' })
  doneByUser?: User;
}
