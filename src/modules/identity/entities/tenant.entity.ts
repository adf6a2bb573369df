import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { LOCALES, type Locale } from '../roles.js';
import { sqlList } from '../../../database/sql.js';

/** An agency using Delegation Desk. Every other row belongs to exactly one tenant. */
@Entity('tenants')
@Check('CHK_tenants_default_locale', `"default_locale" IN (${sqlList(LOCALES)})`)
@Check(
  'CHK_tenants_retention',
  `"travel_document_retention_days" BETWEEN 0 AND 3650 AND "passport_validity_margin_months" BETWEEN 0 AND 24`,
)
export class Tenant extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_tenants' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** URL-friendly name, unique across the service. */
  @Index('UQ_tenants_slug', { unique: true })
  @Column({ type: 'varchar', length: 80 })
  slug: string;

  /** Language of messages to people who have not chosen one. */
  @Column({ name: 'default_locale', type: 'text', default: 'de' })
  defaultLocale: Locale;

  /** IANA timezone of the agency's office, for dates without a station. */
  @Column({ type: 'text', default: 'Europe/Berlin' })
  timezone: string;

  /** Travel documents are deleted this many days after their trip ends. */
  @Column({ name: 'travel_document_retention_days', type: 'integer', default: 30 })
  travelDocumentRetentionDays: number;

  /** A passport expiring less than this many months after the trip's end is flagged. */
  @Column({ name: 'passport_validity_margin_months', type: 'integer', default: 6 })
  passportValidityMarginMonths: number;

  /** Meeting reminders are due this many hours before the meeting starts. */
  @Column({ name: 'meeting_reminder_hours', type: 'integer', default: 24 })
  meetingReminderHours: number;

  /** Confirmed participants are reminded of the departure this many days before the start. */
  @Column({
    name: 'departure_reminder_days',
    type: 'integer',
    array: true,
    default: () => "'{7,1}'",
  })
  departureReminderDays: number[];

  /**
   * Confirmed participants who need a visa and have no (or a too short) passport on file are
   * reminded this many days before the trip starts, and weekly after until it starts.
   */
  @Column({ name: 'travel_document_reminder_days', type: 'integer', default: 21 })
  travelDocumentReminderDays: number;

  /** The hour (agency's timezone) departure and travel-document reminders go out. */
  @Column({ name: 'departure_reminder_hour', type: 'integer', default: 9 })
  departureReminderHour: number;

  /** The hour (agency's timezone) an agreement follow-up's owner is reminded on its due day. */
  @Column({ name: 'follow_up_reminder_hour', type: 'integer', default: 8 })
  followUpReminderHour: number;

  /** An open follow-up is reminded of once more this many days after its due day. */
  @Column({ name: 'follow_up_overdue_days', type: 'integer', default: 7 })
  followUpOverdueDays: number;

  /** The agency's logo on the participant pages (https). */
  @Column({ name: 'logo_url', type: 'varchar', length: 2000, nullable: true })
  logoUrl: string | null;

  /** The colour of buttons and headings on the participant pages, `#rrggbb`. */
  @Column({ name: 'accent_color', type: 'varchar', length: 7, nullable: true })
  accentColor: string | null;

  /** What registering consents to: the agency's privacy text, shown beside the consent box. */
  @Column({ name: 'privacy_notice', type: 'text', nullable: true })
  privacyNotice: string | null;
}
