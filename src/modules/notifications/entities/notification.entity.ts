import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from '../../../database/versioned.entity.js';
import { LOCALES, type Locale } from '../../identity/roles.js';
import { sqlList } from '../../../database/sql.js';
import { Tenant } from '../../identity/entities/tenant.entity.js';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
  type NotificationKind,
  type NotificationStatus,
} from '../notifications.constants.js';
import { BelongsToTenant, TenantIdColumn } from '../../identity/entities/belongs-to-tenant.js';

/**
 * One message, from the outbox to the delivery log (DESIGN §6). Written in
 * the transaction of the change that causes it; `dedupeKey` makes causing it
 * twice a no-op. Rendered only when sent, from the rows it refers to.
 */
@Entity('notifications')
@Check('CHK_notifications_kind', `"kind" IN (${sqlList(NOTIFICATION_KINDS)})`)
@Check('CHK_notifications_status', `"status" IN (${sqlList(NOTIFICATION_STATUSES)})`)
@Check('CHK_notifications_locale', `"locale" IN (${sqlList(LOCALES)})`)
@Check('CHK_notifications_recipient', `num_nonnulls("contact_id", "user_id") <= 1`)
@Index('UQ_notifications_tenant_dedupe_key', ['tenantId', 'dedupeKey'], { unique: true })
@Index('IDX_notifications_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('IDX_notifications_tenant_updated', ['tenantId', 'updatedAt'])
@Index('IDX_notifications_trip_due', ['tripId', 'dueAt', 'id'])
@Index('IDX_notifications_contact', ['contactId'])
@Index('IDX_notifications_subject', ['subjectType', 'subjectId'])
@Index('IDX_notifications_user', ['userId'])
// The relay's work lists: what is due, and what should be in Redis or under a lease.
@Index('IDX_notifications_due', ['dueAt'], { where: `"status" = 'scheduled'` })
@Index('IDX_notifications_queued', ['relayedAt'], { where: `"status" = 'queued'` })
@Index('IDX_notifications_sending', ['leaseUntil'], { where: `"status" = 'sending'` })
export class Notification extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_notifications' })
  id: string;

  @TenantIdColumn()
  tenantId: string;

  @BelongsToTenant('notifications')
  tenant?: Tenant;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'text' })
  locale: Locale;

  /** The address it goes (went) to. */
  @Column({ name: 'recipient_email', type: 'varchar', length: 320 })
  recipientEmail: string;

  /** The recipient: a contact (invitees, participants)... */
  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId: string | null;

  /** ...or a staff user of the agency. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'trip_id', type: 'uuid', nullable: true })
  tripId: string | null;

  /** What the message is about, e.g. `invitation` and its id: its kind reads it when sending. */
  @Column({ name: 'subject_type', type: 'text', nullable: true })
  subjectType: string | null;

  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId: string | null;

  /** Unique per tenant: the same cause never makes a second message. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 300 })
  dedupeKey: string;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  dueAt: Date;

  @Column({ type: 'text', default: 'scheduled' })
  status: NotificationStatus;

  /** When the relay last handed it to BullMQ. */
  @Column({ name: 'relayed_at', type: 'timestamptz', precision: 3, nullable: true })
  relayedAt: Date | null;

  /** Delivery attempts so far. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Until when the worker sending it holds it; past that, the relay hands it out again. */
  @Column({ name: 'lease_until', type: 'timestamptz', precision: 3, nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Subject line as rendered when sent. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  subject: string | null;

  @Column({ name: 'provider_message_id', type: 'varchar', length: 500, nullable: true })
  providerMessageId: string | null;

  /** The SMTP server's reply on acceptance. */
  @Column({ name: 'provider_response', type: 'text', nullable: true })
  providerResponse: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;
}
