import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { Contact } from '../../directory/entities/contact.entity.js';
import { Tenant } from '../../identity/entities/tenant.entity.js';
import { sqlList } from '../../../database/sql.js';
import {
  REGISTRATION_MODES,
  TRIP_KINDS,
  TRIP_STATUSES,
  WAITLIST_POLICIES,
  type RegistrationMode,
  type TripKind,
  type TripStatus,
  type WaitlistPolicy,
} from '../trips.constants.js';
import { BelongsToTenant, TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

/** A trip abroad (or an incoming delegation, a trade fair...): the agency's main unit of work. */
@Entity('trips')
@Check('CHK_trips_kind', `"kind" IN (${sqlList(TRIP_KINDS)})`)
@Check('CHK_trips_status', `"status" IN (${sqlList(TRIP_STATUSES)})`)
@Check('CHK_trips_registration_mode', `"registration_mode" IN (${sqlList(REGISTRATION_MODES)})`)
@Check('CHK_trips_waitlist_policy', `"waitlist_policy" IN (${sqlList(WAITLIST_POLICIES)})`)
@Check('CHK_trips_dates', `"end_date" >= "start_date"`)
@Check('CHK_trips_capacity', `"capacity" >= 1`)
@Check(
  'CHK_trips_seats_per_organisation',
  `"seats_per_organisation" IS NULL OR "seats_per_organisation" >= 1`,
)
@Check(
  'CHK_trips_registration_window',
  `"registration_opens_at" IS NULL OR "registration_closes_at" IS NULL OR "registration_opens_at" < "registration_closes_at"`,
)
@Check('CHK_trips_countries', `array_to_string("countries", ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'`)
@Index('IDX_trips_tenant_start', ['tenantId', 'startDate', 'id'])
// `?status=` of a rare status (in progress) walks this instead of the whole tenant.
@Index('IDX_trips_tenant_status_start', ['tenantId', 'status', 'startDate', 'id'])
@Index('IDX_trips_tenant_updated', ['tenantId', 'updatedAt'])
export class Trip extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_trips' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @BelongsToTenant('trips')
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text' })
  kind: TripKind;

  /** Changes only through transitions. */
  @Column({ type: 'text', default: 'draft' })
  status: TripStatus;

  /** ISO 3166-1 alpha-2 codes; GIN-indexed for the `country` filter (see the migration). */
  @Index('IDX_trips_countries', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  countries: string[];

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'end_date', type: 'date' })
  endDate: string;

  /** Seats for participants other than staff. */
  @Column({ type: 'integer' })
  capacity: number;

  /** Most seats one organisation may take; null: no cap. */
  @Column({ name: 'seats_per_organisation', type: 'integer', nullable: true })
  seatsPerOrganisation: number | null;

  @Column({ name: 'waitlist_policy', type: 'text', default: 'strict_order' })
  waitlistPolicy: WaitlistPolicy;

  @Column({ name: 'registration_mode', type: 'text', default: 'invitation_only' })
  registrationMode: RegistrationMode;

  /**
   * The trip's name in public links (open registration): random, so trips
   * cannot be counted or guessed through it, and not the internal id.
   */
  @Index('UQ_trips_public_id', { unique: true })
  @Column({
    name: 'public_id',
    type: 'varchar',
    length: 16,
    default: () => `"left"(encode(uuid_send(gen_random_uuid()), 'hex'), 16)`,
  })
  publicId: string;

  @Column({ name: 'approval_required', type: 'boolean', default: false })
  approvalRequired: boolean;

  @Column({ name: 'registration_opens_at', type: 'timestamptz', precision: 3, nullable: true })
  registrationOpensAt: Date | null;

  @Column({ name: 'registration_closes_at', type: 'timestamptz', precision: 3, nullable: true })
  registrationClosesAt: Date | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sectors: string[];

  @Index('IDX_trips_lead_contact')
  @Column({ name: 'lead_contact_id', type: 'uuid', nullable: true })
  leadContactId: string | null;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lead_contact_id', foreignKeyConstraintName: 'FK_trips_lead_contact' })
  leadContact?: Contact;

  /** "Minister for Economic Affairs", "Head of Department"... */
  @Column({ name: 'lead_role', type: 'varchar', length: 200, nullable: true })
  leadRole: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}
