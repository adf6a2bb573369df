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
import { PartnerOrganisation } from '../../directory/entities/partner-organisation.entity.js';
import { sqlList } from '../../../database/sql.js';
import { Trip } from '../../trips/entities/trip.entity.js';
import {
  PARTICIPANT_CATEGORIES,
  PARTICIPANT_ROLES,
  PARTICIPANT_STATUSES,
  VISA_STATUSES,
  type ParticipantCategory,
  type ParticipantRole,
  type ParticipantStatus,
  type VisaStatus,
} from '../participants.constants.js';
import { TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

/** A contact registered on a trip. */
@Entity('participants')
@Check('CHK_participants_role', `"role" IN (${sqlList(PARTICIPANT_ROLES)})`)
@Check('CHK_participants_category', `"category" IN (${sqlList(PARTICIPANT_CATEGORIES)})`)
@Check('CHK_participants_status', `"status" IN (${sqlList(PARTICIPANT_STATUSES)})`)
@Check('CHK_participants_visa_status', `"visa_status" IN (${sqlList(VISA_STATUSES)})`)
@Check(
  'CHK_participants_waitlist_position',
  `("status" = 'waitlisted') = ("waitlist_position" IS NOT NULL) AND ("waitlist_position" IS NULL OR "waitlist_position" >= 1)`,
)
@Index('UQ_participants_trip_contact', ['tripId', 'contactId'], { unique: true })
@Index('IDX_participants_trip_registered', ['tripId', 'registeredAt', 'id'])
@Index('IDX_participants_trip_status', ['tripId', 'status'])
export class Participant extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_participants' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @Column({ name: 'trip_id', type: 'uuid' })
  tripId: string;

  @ManyToOne(() => Trip, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'trip_id', foreignKeyConstraintName: 'FK_participants_trip' })
  trip?: Trip;

  @Index('IDX_participants_contact')
  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_participants_contact' })
  contact?: Contact;

  /** The organisation represented; its representatives share the per-organisation seat cap. */
  @Index('IDX_participants_organisation')
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @ManyToOne(() => PartnerOrganisation, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organisation_id',
    foreignKeyConstraintName: 'FK_participants_organisation',
  })
  organisation?: PartnerOrganisation;

  @Column({ type: 'text' })
  role: ParticipantRole;

  @Column({ type: 'text' })
  category: ParticipantCategory;

  /** Changes only through transitions and promotion from the waitlist. */
  @Column({ type: 'text' })
  status: ParticipantStatus;

  /** Place in line while waitlisted, 1 = next; renumbered as the line moves. */
  @Column({ name: 'waitlist_position', type: 'integer', nullable: true })
  waitlistPosition: number | null;

  /** Arrival order: the waitlist is served in it. */
  @Column({ name: 'registered_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  registeredAt: Date;

  @Column({ name: 'status_changed_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  statusChangedAt: Date;

  @Column({ name: 'dietary_needs', type: 'varchar', length: 500, nullable: true })
  dietaryNeeds: string | null;

  @Column({ name: 'accessibility_needs', type: 'varchar', length: 500, nullable: true })
  accessibilityNeeds: string | null;

  /** Free-text arrival details (flight, time). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  arrival: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  departure: string | null;

  @Column({ name: 'visa_required', type: 'boolean', default: false })
  visaRequired: boolean;

  @Column({ name: 'visa_status', type: 'text', default: 'not_needed' })
  visaStatus: VisaStatus;

  /** Answers to the trip's registration questions. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  answers: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** When the participant consented to data processing (self-registration). */
  @Column({ name: 'consent_at', type: 'timestamptz', precision: 3, nullable: true })
  consentAt: Date | null;

  /** Signed into the self-service link's token (`/public/registrations/{token}`). */
  @Column({ name: 'access_nonce', type: 'uuid', select: false })
  @Generated('uuid')
  accessNonce?: string;

  /**
   * What this participant adds to its trip's figures right now (status and
   * TALLY flags); kept by TripCounts, read by nothing else.
   */
  @Column({ name: 'counted_status', type: 'text', nullable: true, select: false })
  countedStatus?: ParticipantStatus | null;

  @Column({ name: 'counted_flags', type: 'smallint', default: 0, select: false })
  countedFlags?: number;
}
