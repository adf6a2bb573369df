import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Notification } from './entities/notification.entity.js';
import { ERASED_ADDRESS } from './outbox.js';

/** The sending side's writes to the outbox: claiming a message and recording what became of it. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

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
}
