import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';
import { User } from '../../identity/entities/user.entity.js';
import type { Locale } from '../../identity/roles.js';
import type {
  ParticipantCategory,
  ParticipantRole,
  ParticipantStatus,
} from '../../participants/participants.constants.js';
import { Trip } from '../../trips/entities/trip.entity.js';

/** A text in the languages it was written in (at least one). */
export type Texts = Partial<Record<Locale, string>>;

/** Whom an announcement went to, as staff chose them. */
export interface Audience {
  statuses: ParticipantStatus[];
  roles: ParticipantRole[] | null;
  categories: ParticipantCategory[] | null;
  stationId: string | null;
  participantIds: string[] | null;
}

/**
 * A message from staff to part of a trip's delegation (issue 17): its texts
 * per language, the audience as chosen, and when it goes out. Its messages
 * are in the outbox, one per recipient, about it.
 */
@Entity('announcements')
@Index('IDX_announcements_trip_created', ['tripId', 'createdAt', 'id'])
export class Announcement extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_announcements' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'trip_id', type: 'uuid' })
  tripId: string;

  @ManyToOne(() => Trip, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'trip_id', foreignKeyConstraintName: 'FK_announcements_trip' })
  trip?: Trip;

  @Column({ type: 'jsonb' })
  subject: Texts;

  /** Markdown or plain text. */
  @Column({ type: 'jsonb' })
  body: Texts;

  @Column({ type: 'jsonb' })
  audience: Audience;

  /** When its messages go out. */
  @Column({ name: 'send_at', type: 'timestamptz', precision: 3 })
  sendAt: Date;

  /** How many people it was written to. */
  @Column({ name: 'recipient_count', type: 'integer' })
  recipientCount: number;

  /** The staff member who wrote it; null when an integration did. */
  @Index('IDX_announcements_created_by')
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_announcements_created_by' })
  author?: User;

  /** When staff withdrew it before all of it went out. */
  @Column({ name: 'withdrawn_at', type: 'timestamptz', precision: 3, nullable: true })
  withdrawnAt: Date | null;
}
