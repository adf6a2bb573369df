import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlList } from '../../database/sql.js';
import { Notification } from './entities/notification.entity.js';
import {
  STATUS_NOTICES,
  type NotificationKind,
  type NotificationStatus,
} from './notifications.constants.js';

export interface NewMessage {
  tenantId: string;
  kind: NotificationKind;
  contactId: string;
  recipientEmail: string;
  tripId: string;
  invitationId?: string;
  participantId?: string;
  /** Unique per tenant: a second message with the same key is not written. */
  dedupeKey: string;
  dueAt?: Date;
}

/** What an erased person's messages keep as their address. */
export const ERASED_ADDRESS = '[erased]';

/** Scheduled or handed to the queue, not yet being sent: what cancelling stops. */
const CANCELLABLE: readonly NotificationStatus[] = ['scheduled', 'queued'];

/** The recipient's language when we write in it, else the agency's. */
export const LOCALE_SQL = `CASE WHEN c.preferred_language IN ('de', 'en') THEN c.preferred_language ELSE tn.default_locale END`;

const STATUS_KIND_SQL = `CASE p.status ${Object.entries(STATUS_NOTICES)
  .map(([status, kind]) => `WHEN '${status}' THEN '${kind}'`)
  .join(' ')} END`;

/**
 * The outbox (DESIGN §6). Every method writes in the caller's transaction,
 * so a message exists exactly when the change that causes it commits; the
 * relay (worker) takes it from there.
 */
@Injectable()
export class Outbox {
  /**
   * Writes messages, each in its recipient's language; those whose dedupe
   * key exists already are skipped. One statement, however many.
   */
  async add(manager: EntityManager, messages: NewMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const rows = messages.map((message) => ({
      tenant_id: message.tenantId,
      kind: message.kind,
      recipient_email: message.recipientEmail,
      contact_id: message.contactId,
      trip_id: message.tripId,
      invitation_id: message.invitationId ?? null,
      participant_id: message.participantId ?? null,
      dedupe_key: message.dedupeKey,
      due_at: message.dueAt?.toISOString() ?? null,
    }));
    await manager.query(
      `INSERT INTO notifications
         (tenant_id, kind, locale, recipient_email, contact_id, trip_id, invitation_id,
          participant_id, dedupe_key, due_at)
       SELECT m.tenant_id, m.kind, ${LOCALE_SQL}, m.recipient_email, m.contact_id, m.trip_id,
              m.invitation_id, m.participant_id, m.dedupe_key, coalesce(m.due_at, now())
         FROM jsonb_to_recordset($1::jsonb) AS m(
                tenant_id uuid, kind text, recipient_email text, contact_id uuid, trip_id uuid,
                invitation_id uuid, participant_id uuid, dedupe_key text, due_at timestamptz)
         JOIN contacts c ON c.id = m.contact_id AND c.tenant_id = m.tenant_id
         JOIN tenants tn ON tn.id = m.tenant_id
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Tells participants their registration reached its current status
   * (received, waitlisted, confirmed, rejected, cancelled), once per status:
   * the lifecycle never returns to a status, so the key is participant and
   * status. People without an email address, or erased, get nothing.
   */
  async participantStatus(
    manager: EntityManager,
    tenantId: string,
    participantIds: readonly string[],
  ): Promise<void> {
    if (participantIds.length === 0) return;
    await manager.query(
      `INSERT INTO notifications
         (tenant_id, kind, locale, recipient_email, contact_id, trip_id, participant_id, dedupe_key)
       SELECT p.tenant_id, ${STATUS_KIND_SQL}, ${LOCALE_SQL}, c.email, c.id, p.trip_id, p.id,
              'participant:' || p.id || ':' || p.status
         FROM participants p
         JOIN contacts c ON c.id = p.contact_id
         JOIN tenants tn ON tn.id = p.tenant_id
        WHERE p.tenant_id = $1 AND p.id = ANY($2)
          AND p.status IN (${sqlList(Object.keys(STATUS_NOTICES))})
          AND c.email IS NOT NULL AND c.erased_at IS NULL
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
      [tenantId, participantIds],
    );
  }

  /** Stops messages not yet being sent; returns their ids (to drop their queue jobs). */
  async cancel(
    manager: EntityManager,
    tenantId: string,
    where: { invitationId?: string; contactId?: string; tripId?: string; kind?: NotificationKind },
  ): Promise<string[]> {
    const builder = manager
      .createQueryBuilder()
      .update(Notification)
      .set({ status: 'cancelled', leaseUntil: null })
      .where('tenant_id = :tenantId AND status IN (:...pending)', {
        tenantId,
        pending: CANCELLABLE,
      });
    if (where.invitationId) builder.andWhere('invitation_id = :id', { id: where.invitationId });
    if (where.contactId) builder.andWhere('contact_id = :contactId', where);
    if (where.tripId) builder.andWhere('trip_id = :tripId', where);
    if (where.kind) builder.andWhere('kind = :kind', where);
    const result = await builder.returning(['id']).execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  /**
   * Erasure of a person: their unsent messages are cancelled and every
   * message keeps its kind, trip and dates but not their address or what
   * the mail server said about it. Returns the ids of their messages (to
   * drop queue jobs after commit).
   */
  async eraseRecipient(manager: EntityManager, tenantId: string, contactId: string) {
    // An UPDATE answers [rows, count] through manager.query.
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `UPDATE notifications
          SET status = CASE WHEN status IN (${sqlList(CANCELLABLE)}) THEN 'cancelled' ELSE status END,
              recipient_email = $3, last_error = NULL, provider_response = NULL,
              version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND contact_id = $2
       RETURNING id`,
      [tenantId, contactId, ERASED_ADDRESS],
    );
    return rows.map((row) => row.id);
  }
}
