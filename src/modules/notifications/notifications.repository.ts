import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Notification } from './entities/notification.entity.js';
import type { Addressing } from './message-kinds.js';
import { ERASED_ADDRESS } from './outbox.js';

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
   * Takes the message for one worker for `leaseMs` (status `sending`, one
   * more attempt), unless it is done, not due, or leased to another worker.
   */
  async claimForSending(id: string, leaseMs: number): Promise<Notification | null> {
    const [rows] = await this.dataSource.query<[Record<string, unknown>[], number]>(
      `UPDATE notifications
          SET status = 'sending', attempts = attempts + 1,
              lease_until = now() + $2 * interval '1 millisecond',
              version = version + 1, updated_at = now()
        WHERE id = $1 AND due_at <= now()
          AND (status IN ('scheduled', 'queued') OR (status = 'sending' AND lease_until < now()))
        RETURNING id`,
      [id, leaseMs],
    );
    if (rows.length === 0) return null;
    return this.dataSource.manager.findOneByOrFail(Notification, { id });
  }

  /**
   * Writes the outcome of a claim, unless the claim was lost meanwhile (its
   * lease ran out and another worker took the message). The server's words
   * are not kept for an address erased while it was sent: they often repeat
   * it.
   */
  async recordOutcome(
    claimed: Notification,
    { lastError, providerResponse, ...fields }: Partial<Notification>,
  ): Promise<void> {
    const unlessErased = (parameter: string) => () =>
      `CASE WHEN recipient_email = :erased THEN NULL ELSE CAST(:${parameter} AS text) END`;
    await this.dataSource
      .createQueryBuilder()
      .update(Notification)
      .set({
        ...fields,
        ...(lastError !== undefined ? { lastError: unlessErased('lastError') } : {}),
        ...(providerResponse !== undefined
          ? { providerResponse: unlessErased('providerResponse') }
          : {}),
      })
      .where("id = :id AND status = 'sending' AND attempts = :attempts", {
        id: claimed.id,
        attempts: claimed.attempts,
      })
      .setParameters({ erased: ERASED_ADDRESS, lastError, providerResponse })
      .execute();
  }

  /**
   * The agency and the recipient (a contact or a staff user) as they are
   * now, or why the message can no longer go to them.
   */
  async addressing(
    manager: EntityManager,
    message: Notification,
  ): Promise<{ addressing: Addressing } | { stale: string }> {
    const [row] = await manager.query<
      {
        agency_name: string;
        agency_timezone: string;
        title: string | null;
        first_name: string | null;
        last_name: string | null;
        erased: boolean;
      }[]
    >(
      `SELECT tn.name AS agency_name, tn.timezone AS agency_timezone,
              c.title, c.first_name, coalesce(c.last_name, u.name) AS last_name,
              c.erased_at IS NOT NULL AS erased
         FROM notifications n
         JOIN tenants tn ON tn.id = n.tenant_id
         LEFT JOIN contacts c ON c.id = n.contact_id
         LEFT JOIN users u ON u.id = n.user_id
        WHERE n.id = $1`,
      [message.id],
    );
    if (!row?.last_name) return { stale: 'its recipient no longer exists' };
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
   * Hands up to `limit` messages to the queue in one transaction: takes them
   * (FOR UPDATE SKIP LOCKED, so relays side by side never take the same),
   * runs `enqueue` with their ids and marks them `queued`; if `enqueue`
   * fails (Redis down) nothing changes. `due`: scheduled and due;
   * `overdueAfterMs`: queued that long without being sent, or sending with a
   * lapsed lease (a crashed worker). Returns how many.
   */
  handOver(
    which: 'due' | { overdueAfterMs: number },
    limit: number,
    enqueue: (ids: string[]) => Promise<void>,
  ): Promise<number> {
    const [where, params] =
      which === 'due'
        ? [`status = 'scheduled' AND due_at <= now() ORDER BY due_at`, []]
        : [
            `(status = 'queued' AND relayed_at < now() - $1 * interval '1 millisecond')
              OR (status = 'sending' AND lease_until < now())`,
            [which.overdueAfterMs],
          ];
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ id: string }[]>(
        `SELECT id FROM notifications WHERE ${where} LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
        params,
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      await enqueue(ids);
      await manager.query(
        `UPDATE notifications
            SET status = 'queued', relayed_at = now(), lease_until = NULL,
                -- Handing a queued message over again is no change to it (ETag, updatedSince).
                version = CASE WHEN status = 'queued' THEN version ELSE version + 1 END,
                updated_at = CASE WHEN status = 'queued' THEN updated_at ELSE now() END
          WHERE id = ANY($1)`,
        [ids],
      );
      return ids.length;
    });
  }
}
