import {
  Check,
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { Contact } from '../../directory/entities/contact.entity.js';
import { sqlList } from '../../../database/sql.js';
import { Participant } from '../../participants/entities/participant.entity.js';
import { Trip } from '../../trips/entities/trip.entity.js';
import {
  STORED_INVITATION_STATUSES,
  type StoredInvitationStatus,
} from '../invitations.constants.js';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

/**
 * A contact invited to a trip, bound to the address it was sent to. Its
 * link carries a token signed over the id and `tokenNonce`; a new nonce
 * (re-inviting after a revocation) kills every earlier link.
 */
@Entity('invitations')
@Check('CHK_invitations_status', `"status" IN (${sqlList(STORED_INVITATION_STATUSES)})`)
@Index('UQ_invitations_trip_contact', ['tripId', 'contactId'], { unique: true })
@Index('IDX_invitations_trip_created', ['tripId', 'createdAt', 'id'])
// Reminder planning reads the unanswered ones.
@Index('IDX_invitations_pending', ['tripId'], { where: `"status" = 'pending'` })
export class Invitation extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_invitations' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'trip_id', type: 'uuid' })
  tripId: string;

  @ManyToOne(() => Trip, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'trip_id', foreignKeyConstraintName: 'FK_invitations_trip' })
  trip?: Trip;

  @Index('IDX_invitations_contact')
  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_invitations_contact' })
  contact?: Contact;

  /** The address invited; the invitation email and reminder go here. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'text', default: 'pending' })
  status: StoredInvitationStatus;

  /** Signed into the link's token; replaced when re-invited, so old links die. */
  @Column({ name: 'token_nonce', type: 'uuid' })
  @Generated('uuid')
  tokenNonce: string;

  /** Personal message from the agency, shown in the email and on the invitation page. */
  @Column({ type: 'text', nullable: true })
  message: string | null;

  /** Emails sent for it (1 + resends). */
  @Column({ name: 'send_count', type: 'integer', default: 1 })
  sendCount: number;

  @Column({ name: 'last_sent_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  lastSentAt: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', precision: 3, nullable: true })
  answeredAt: Date | null;

  /** The registration it led to. */
  @Column({ name: 'participant_id', type: 'uuid', nullable: true })
  participantId: string | null;

  @ManyToOne(() => Participant, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'participant_id', foreignKeyConstraintName: 'FK_invitations_participant' })
  participant?: Participant;
}
