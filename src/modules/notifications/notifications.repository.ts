import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Notification } from './entities/notification.entity.js';
import { handOverRows } from '../../database/outbox-hand-over.js';
import { preparedQuery } from '../../database/prepared.js';
import { selectColumns } from '../../database/select-columns.js';
import type { Addressing } from './message-kinds.js';
import { ERASED_ADDRESS } from './outbox.js';

/** Who a message goes to as they are now, or why it can no longer go to them. */
export type Addressed = { addressing: Addressing } | { stale: string };

/** A message as claimed for sending, and who it goes to. */
export interface Claimed {
  message: Notification;
  addressed: Addressed;
}

/** What a worker records about a claimed message. */
export type Outcome = Partial<
  Pick<
    Notification,
    | 'status'
    | 'dueAt'
    | 'sentAt'
    | 'leaseUntil'
    | 'attempts'
    | 'subject'
    | 'providerMessageId'
    | 'providerResponse'
    | 'lastError'
    | 'relayedAt'
  >
>;

/** Each field of an outcome: its column and the column's type. */
const OUTCOME_COLUMNS: Record<keyof Outcome, [column: string, type: string]> = {
  status: ['status', 'text'],
  dueAt: ['due_at', 'timestamptz'],
  sentAt: ['sent_at', 'timestamptz'],
  leaseUntil: ['lease_until', 'timestamptz'],
  attempts: ['attempts', 'int'],
  subject: ['subject', 'text'],
  providerMessageId: ['provider_message_id', 'text'],
  providerResponse: ['provider_response', 'text'],
  lastError: ['last_error', 'text'],
  relayedAt: ['relayed_at', 'timestamptz'],
};

/** The server's words, not kept for an erased address (they often repeat it). */
const UNLESS_ERASED = new Set<keyof Outcome>(['lastError', 'providerResponse']);

/**
 * Writes outcomes given as a JSON array of `{ id, claimedAttempts, outcome }`
 * (`$1`): a field an outcome leaves out keeps its column as it is. One text
 * for every mix of outcomes, so it is prepared once.
 */
const RECORD_OUTCOMES_SQL = `
  UPDATE notifications n
     SET ${Object.entries(OUTCOME_COLUMNS)
       .map(([field, [column, type]]) => {
         const value = `CAST(o.v->'outcome'->>'${field}' AS ${type})`;
         const given = UNLESS_ERASED.has(field as keyof Outcome)
           ? `CASE WHEN n.recipient_email = '${ERASED_ADDRESS}' THEN NULL ELSE ${value} END`
           : value;
         return `${column} = CASE WHEN o.v->'outcome' ? '${field}' THEN ${given} ELSE n.${column} END`;
       })
       .join(',\n         ')},
         version = n.version + 1, updated_at = now()
    FROM jsonb_array_elements($1::jsonb) AS o(v)
   WHERE n.id = CAST(o.v->>'id' AS uuid) AND n.status = 'sending'
     AND n.attempts = CAST(o.v->>'claimedAttempts' AS int)`;

interface AddressingRow {
  /** Null only if the agency is gone (a left join, so that a claim always answers its row). */
  agency_name: string | null;
  agency_timezone: string;
  title: string | null;
  first_name: string | null;
  last_name: string | null;
  erased: boolean;
}

type ClaimedRow = Notification & AddressingRow;

/** The agency and the recipient of message `n`. */
const ADDRESSING_COLUMNS = `tn.name AS agency_name, tn.timezone AS agency_timezone,
  c.title, c.first_name, coalesce(c.last_name, u.name) AS last_name,
  c.erased_at IS NOT NULL AS erased`;
const ADDRESSING_JOINS = `LEFT JOIN tenants tn ON tn.id = n.tenant_id
  LEFT JOIN contacts c ON c.id = n.contact_id
  LEFT JOIN users u ON u.id = n.user_id`;

function toAddressing(message: Notification, row: AddressingRow | undefined): Addressed {
  if (!row?.last_name || row.agency_name === null) {
    return { stale: 'its recipient no longer exists' };
  }
  if (row.erased) return { stale: 'the recipient’s personal data was erased' };
  return {
    addressing: {
      locale: message.locale,
      agency: { name: row.agency_name, timezone: row.agency_timezone },
      recipient: { title: row.title, firstName: row.first_name, lastName: row.last_name },
    },
  };
}

/**
 * The sending side of the outbox: claiming a message, reading who it goes
 * to, and recording what became of it.
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The agency's timezone, if the trip is the agency's (else null: 404). */
  async tripAgencyTimezone(tenantId: string, tripId: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ timezone: string }[]>(
      `SELECT tn.timezone FROM trips t JOIN tenants tn ON tn.id = t.tenant_id
        WHERE t.tenant_id = $1 AND t.id = $2`,
      [tenantId, tripId],
    );
    return row?.timezone ?? null;
  }

  /**
   * Takes the messages among `ids` that are due and not done nor leased to
   * another worker, for this worker for `leaseMs` (status `sending`, one
   * more attempt); answers each as claimed and who it goes to as they are
   * now (the agency and the recipient, or why it can no longer go to them).
   * One statement: the claim and what the worker reads next.
   */
  async claimForSending(ids: string[], leaseMs: number): Promise<Claimed[]> {
    const rows = await preparedQuery<ClaimedRow>(this.dataSource, this.claimSql(), [ids, leaseMs]);
    return rows.map((row) => {
      const { agency_name, agency_timezone, title, first_name, last_name, erased, ...message } =
        row;
      return {
        message,
        addressed: toAddressing(message, {
          agency_name,
          agency_timezone,
          title,
          first_name,
          last_name,
          erased,
        }),
      };
    });
  }

  /** Built once: the entity's columns follow its metadata. */
  private claimSql(): string {
    this.claimStatement ??= `
      WITH claimed AS (
        UPDATE notifications
           SET status = 'sending', attempts = attempts + 1,
               lease_until = now() + $2 * interval '1 millisecond',
               version = version + 1, updated_at = now()
         WHERE id = ANY($1::uuid[]) AND due_at <= now()
           AND (status = 'scheduled'
                -- A queued retry waits for its time (relayed_at), whichever job comes for it.
                OR (status = 'queued' AND (relayed_at IS NULL OR relayed_at <= now()))
                OR (status = 'sending' AND lease_until < now()))
        RETURNING *)
      SELECT ${selectColumns(this.dataSource.getMetadata(Notification), 'n')},
             ${ADDRESSING_COLUMNS}
        FROM claimed n ${ADDRESSING_JOINS}`;
    return this.claimStatement;
  }

  private claimStatement?: string;

  /**
   * Writes the outcomes of claims, each unless its claim was lost meanwhile
   * (the lease ran out and another worker took the message). The server's
   * words are not kept for an address erased while it was sent: they often
   * repeat it. One statement, however many.
   */
  async recordOutcomes(outcomes: { claimed: Notification; outcome: Outcome }[]): Promise<void> {
    if (outcomes.length === 0) return;
    const rows = outcomes.map(({ claimed, outcome }) => ({
      id: claimed.id,
      claimedAttempts: claimed.attempts,
      outcome,
    }));
    await preparedQuery(this.dataSource, RECORD_OUTCOMES_SQL, [JSON.stringify(rows)]);
  }

  /**
   * Hands up to `limit` messages to the queue and marks them `queued`
   * (handOverRows), the oldest due first. `due`: scheduled and due;
   * `overdueAfterMs`: queued that long without being sent, or sending with a
   * lapsed lease (a crashed worker). Returns how many.
   */
  handOver(
    which: 'due' | { overdueAfterMs: number },
    limit: number,
    enqueue: (ids: string[]) => Promise<void>,
  ): Promise<number> {
    const [where, order, params] =
      which === 'due'
        ? [`status = 'scheduled' AND due_at <= now()`, 'ORDER BY due_at', []]
        : [
            `(status = 'queued' AND relayed_at < now() - $1 * interval '1 millisecond')
              OR (status = 'sending' AND lease_until < now())`,
            '',
            [which.overdueAfterMs],
          ];
    return handOverRows<{ id: string }>(
      this.dataSource,
      {
        table: 'notifications',
        where,
        params,
        order,
        set: `status = 'queued', relayed_at = now(), lease_until = NULL,
              -- Handing a queued message over again is no change to it (ETag, updatedSince).
              version = CASE WHEN status = 'queued' THEN version ELSE version + 1 END,
              updated_at = CASE WHEN status = 'queued' THEN updated_at ELSE now() END`,
        returning: 'id',
      },
      limit,
      (rows) => enqueue(rows.map((row) => row.id)),
    );
  }
}
