import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlList } from '../../database/sql.js';
import { Writes } from '../audit/changes.js';
import { LOCALES, type Locale } from '../identity/roles.js';
import type { NotificationKind, NotificationStatus } from './notifications.constants.js';

/** Who a message goes to: a contact (invitees, participants) or a staff user. */
export type Recipient = { contactId: string } | { userId: string };

export interface NewMessage {
  tenantId: string;
  kind: NotificationKind;
  recipient: Recipient;
  recipientEmail: string;
  /** The trip it is about, if any (the delivery log filters by it). */
  tripId?: string | null;
  /** The record it is about; its kind reads it again when the message is sent. */
  subject: { type: string; id: string };
  /** Unique per tenant: a second message with the same key is not written. */
  dedupeKey: string;
  dueAt?: Date;
  /**
   * The languages it is written in, when not every one we write in (an
   * announcement in German only): a recipient who reads another gets the first.
   */
  languages?: readonly Locale[];
}

/** What an erased person's messages keep as their address. */
export const ERASED_ADDRESS = '[erased]';

/** Scheduled or handed to the queue, not yet being sent: what cancelling stops. */
const CANCELLABLE: readonly NotificationStatus[] = ['scheduled', 'queued'];

/** The recipient's language (a contact's preference, a user's setting) when we write in it, else the agency's. */
const LOCALE_SQL = `CASE WHEN coalesce(c.preferred_language, u.locale) IN (${sqlList(LOCALES)})
  THEN coalesce(c.preferred_language, u.locale) ELSE tn.default_locale END`;

/** Where a write goes: the transaction, at once, or a change's writes (run after its subscribers). */
export type Into = EntityManager | Writes;

/** What a cancellation stops: every filter given must hold. */
export interface CancelWhere {
  subject?: { type: string; id: string };
  /** Messages about the records a write named by `from` returns (its rows' `id`), of this type. */
  subjectsOf?: { type: string; from: string };
  contactId?: string;
  tripId?: string;
  kind?: NotificationKind;
}

/**
 * The outbox (DESIGN §6). Every method writes in the caller's transaction,
 * so a message exists exactly when the change that causes it commits; the
 * relay (worker) takes it from there. Given a change's `Writes` instead of
 * the transaction, a method adds its statements to them.
 */
@Injectable()
export class Outbox {
  /**
   * Writes messages, each in its recipient's language; those whose dedupe
   * key exists already are skipped. One statement, however many.
   */
  async add(into: Into, messages: NewMessage[]): Promise<void> {
    await this.write(into, (writes) => this.addTo(writes, messages));
  }

  /**
   * Makes the planned messages of `scope` (a kind, narrowed to a subject, a
   * recipient or a trip) exactly `desired`: those not desired any more and
   * not yet being sent are cancelled, the desired ones are written unless
   * their dedupe key exists (sent, or planned already; one cancelled is
   * planned again, one still scheduled takes the new due time). A dedupe key that
   * names what the reminder is for (e.g. the meeting's start) makes a moved
   * meeting a new reminder and its old one undesired. In the caller's
   * transaction, in one statement: its three parts touch different rows
   * (cancelled keys are not desired; a desired key that exists is not inserted).
   */
  async reconcile(
    into: Into,
    tenantId: string,
    scope: {
      kind: NotificationKind;
      subject?: { type: string; id: string };
      contactId?: string;
      tripId?: string;
    },
    desired: NewMessage[],
  ): Promise<void> {
    await this.write(into, (writes) => {
      const keys = desired.map((message) => message.dedupeKey);
      writes.add(
        `UPDATE notifications
            SET status = 'cancelled', lease_until = NULL, last_error = 'Not sent: the plan changed.',
                version = version + 1, updated_at = CURRENT_TIMESTAMP
          WHERE ${this.scoped(writes, tenantId, scope)}
            AND dedupe_key <> ALL(${writes.param(keys)}::text[])`,
      );
      if (desired.length === 0) return;
      // Desired again after the plan took them away (an attendee back on the meeting), or due at
      // another time with the same key (the agency moved its send hour): planned anew.
      const due = desired.map((message) => ({
        dedupe_key: message.dedupeKey,
        due_at: message.dueAt?.toISOString() ?? null,
      }));
      writes.add(
        `UPDATE notifications n
            SET status = 'scheduled', due_at = coalesce(d.due_at, now()), last_error = NULL,
                lease_until = NULL, version = n.version + 1, updated_at = now()
           FROM jsonb_to_recordset(${writes.param(JSON.stringify(due))}::jsonb)
                  AS d(dedupe_key text, due_at timestamptz)
          WHERE n.tenant_id = ${writes.param(tenantId)} AND n.dedupe_key = d.dedupe_key
            AND (n.status = 'cancelled'
                 OR (n.status = 'scheduled' AND d.due_at IS NOT NULL AND n.due_at <> d.due_at))`,
      );
      this.addTo(writes, desired);
    });
  }

  /**
   * Stops messages not yet being sent; returns their ids (to drop their
   * queue jobs), none when added to a change's writes.
   */
  async cancel(into: Into, tenantId: string, where: CancelWhere): Promise<string[]> {
    const writes = into instanceof Writes ? into : new Writes();
    const cancelled = writes.add(
      `UPDATE notifications
          SET status = 'cancelled', lease_until = NULL, version = version + 1,
              updated_at = CURRENT_TIMESTAMP
        WHERE ${this.scoped(writes, tenantId, where)}
       RETURNING id`,
    );
    if (into instanceof Writes) return [];
    const rows = await writes.run<{ id: string }>(into, cancelled);
    return rows.map((row) => row.id);
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

  /** Runs `build` on `into` if it is a change's writes, else on writes of its own, run now. */
  private async write(into: Into, build: (writes: Writes) => void): Promise<void> {
    if (into instanceof Writes) return build(into);
    const writes = new Writes();
    build(writes);
    await writes.run(into);
  }

  /** The INSERT of `add` among `writes`; nothing for no messages. */
  private addTo(writes: Writes, messages: NewMessage[]): void {
    if (messages.length === 0) return;
    const rows = messages.map((message) => ({
      tenant_id: message.tenantId,
      kind: message.kind,
      recipient_email: message.recipientEmail,
      contact_id: 'contactId' in message.recipient ? message.recipient.contactId : null,
      user_id: 'userId' in message.recipient ? message.recipient.userId : null,
      trip_id: message.tripId ?? null,
      subject_type: message.subject.type,
      subject_id: message.subject.id,
      dedupe_key: message.dedupeKey,
      due_at: message.dueAt?.toISOString() ?? null,
      languages: message.languages ?? null,
    }));
    writes.add(
      `INSERT INTO notifications
         (tenant_id, kind, locale, recipient_email, contact_id, user_id, trip_id, subject_type,
          subject_id, dedupe_key, due_at)
       SELECT m.tenant_id, m.kind,
              CASE WHEN m.languages IS NULL OR r.locale = ANY(m.languages) THEN r.locale
                   ELSE m.languages[1] END,
              m.recipient_email, m.contact_id, m.user_id,
              m.trip_id, m.subject_type, m.subject_id, m.dedupe_key, coalesce(m.due_at, now())
         FROM jsonb_to_recordset(${writes.param(JSON.stringify(rows))}::jsonb) AS m(
                tenant_id uuid, kind text, recipient_email text, contact_id uuid, user_id uuid,
                trip_id uuid, subject_type text, subject_id uuid, dedupe_key text,
                due_at timestamptz, languages text[])
         JOIN tenants tn ON tn.id = m.tenant_id
         LEFT JOIN contacts c ON c.id = m.contact_id AND c.tenant_id = m.tenant_id
         LEFT JOIN users u ON u.id = m.user_id AND u.tenant_id = m.tenant_id
         CROSS JOIN LATERAL (SELECT ${LOCALE_SQL} AS locale) r
        -- A recipient of another agency (or none) gets nothing.
        WHERE (c.id IS NOT NULL) <> (u.id IS NOT NULL)
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
    );
  }

  /** The tenant's messages not yet being sent that `where` selects, as SQL over `writes`. */
  private scoped(writes: Writes, tenantId: string, where: CancelWhere): string {
    const conditions = [
      `tenant_id = ${writes.param(tenantId)}`,
      `status IN (${sqlList(CANCELLABLE)})`,
    ];
    if (where.kind) conditions.push(`kind = ${writes.param(where.kind)}`);
    if (where.subject) {
      conditions.push(
        `subject_type = ${writes.param(where.subject.type)}`,
        `subject_id = ${writes.param(where.subject.id)}::uuid`,
      );
    }
    if (where.subjectsOf) {
      conditions.push(
        `subject_type = ${writes.param(where.subjectsOf.type)}`,
        `subject_id IN (SELECT id FROM ${where.subjectsOf.from})`,
      );
    }
    if (where.contactId) conditions.push(`contact_id = ${writes.param(where.contactId)}::uuid`);
    if (where.tripId) conditions.push(`trip_id = ${writes.param(where.tripId)}::uuid`);
    return conditions.join(' AND ');
  }
}
