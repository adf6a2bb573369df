import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { JobName } from '../../../queue/jobs.js';
import { Queues } from '../../../queue/queues.js';
import { LOCALE_SQL } from '../outbox.js';

/** Rows handed over per round; the next round (soon after) takes the rest. */
const BATCH = 500;
/** Redis that does not answer within this is treated as down: the round rolls back. */
const REDIS_TIMEOUT_MS = 5000;
/** How often unanswered invitations are checked for their reminder. */
const REMINDER_PLANNING_EVERY = 60;

/**
 * Moves messages from the outbox (PostgreSQL, the source of truth) into
 * BullMQ, in rounds every RELAY_INTERVAL_MS:
 *
 * - due `scheduled` messages are added as jobs (job id = message id) and
 *   marked `queued`, in one transaction: if Redis is down the round rolls
 *   back and the next one tries again;
 * - `queued` messages not sent within RELAY_REQUEUE_AFTER_MS, and `sending`
 *   ones whose lease ran out (a crashed worker), are added again: a no-op
 *   while Redis still holds the job, the way back after Redis lost it.
 *
 * Rows are taken FOR UPDATE SKIP LOCKED, so any number of workers relay
 * side by side. It also plans invitation reminders.
 */
@Injectable()
export class Relay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Relay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private rounds = 0;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => this.schedule(this.config.RELAY_INTERVAL_MS));
    }, delay);
  }

  /** One round; errors are logged and the next round tries again. */
  async round(): Promise<void> {
    try {
      if (this.rounds++ % REMINDER_PLANNING_EVERY === 0) await this.planReminders();
      // While Redis is away, jobs added would only pile up in the client: wait for it.
      if (!this.queues.connected()) return;
      while ((await this.dispatchDue()) === BATCH);
      while ((await this.redeliver()) === BATCH);
    } catch (error) {
      this.logger.warn({ err: error }, 'relay round failed; retrying next round');
    }
  }

  /** Hands due messages to the queue. Returns how many. */
  dispatchDue(): Promise<number> {
    return this.handOver(`status = 'scheduled' AND due_at <= now() ORDER BY due_at`, []);
  }

  /** Hands over again what should be in the queue but may not be. Returns how many. */
  redeliver(): Promise<number> {
    return this.handOver(
      `(status = 'queued' AND relayed_at < now() - $1 * interval '1 millisecond')
        OR (status = 'sending' AND lease_until < now())`,
      [this.config.RELAY_REQUEUE_AFTER_MS],
    );
  }

  private handOver(where: string, params: unknown[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ id: string }[]>(
        `SELECT id FROM notifications WHERE ${where} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        params,
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      await this.enqueue(ids);
      await this.markQueued(manager, ids);
      return ids.length;
    });
  }

  private async enqueue(ids: string[]): Promise<void> {
    const delay = this.config.NOTIFICATION_RETRY_DELAY_MS;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.queues.enqueueBulk(
        JobName.NotificationsSend,
        ids.map((id) => ({
          payload: { notificationId: id },
          options: {
            jobId: id,
            attempts: this.config.NOTIFICATION_MAX_ATTEMPTS,
            backoff: { type: 'exponential', delay },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      ),
      new Promise((_, reject) => {
        timeout = setTimeout(
          () => reject(new Error(`Redis did not answer within ${REDIS_TIMEOUT_MS} ms`)),
          REDIS_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timeout));
  }

  private async markQueued(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(
      `UPDATE notifications
          SET status = 'queued', relayed_at = now(), lease_until = NULL,
              -- Handing a queued message over again is no change to it (ETag, updatedSince).
              version = CASE WHEN status = 'queued' THEN version ELSE version + 1 END,
              updated_at = CASE WHEN status = 'queued' THEN updated_at ELSE now() END
        WHERE id = ANY($1)`,
      [ids],
    );
  }

  /**
   * One reminder per unanswered invitation, due INVITATION_REMINDER_DAYS
   * before registration closes at 09:00 in the agency's timezone. Planned
   * only once that moment has come, from the current dates: a moved
   * deadline moves the reminder, an answered or revoked invitation gets
   * none. Invitations (re)sent after that moment get none either; one
   * renewed after a revocation (new link) may get its own.
   */
  async planReminders(): Promise<number> {
    const days = this.config.INVITATION_REMINDER_DAYS;
    const planned = await this.dataSource.query<unknown[]>(
      `WITH due AS (
         SELECT i.id, i.tenant_id, i.trip_id, i.contact_id, i.email, i.token_nonce, i.last_sent_at,
                ((date(t.registration_closes_at AT TIME ZONE tn.timezone) - $1::int) + time '09:00')
                  AT TIME ZONE tn.timezone AS remind_at,
                ${LOCALE_SQL} AS locale
           FROM invitations i
           JOIN trips t ON t.id = i.trip_id
           JOIN tenants tn ON tn.id = i.tenant_id
           JOIN contacts c ON c.id = i.contact_id
          WHERE i.status = 'pending' AND c.erased_at IS NULL
            AND t.status IN ('planned', 'registration_open')
            AND t.registration_closes_at > now())
       INSERT INTO notifications
         (tenant_id, kind, locale, recipient_email, contact_id, trip_id, invitation_id, dedupe_key, due_at)
       SELECT tenant_id, 'invitation_reminder', locale, email, contact_id, trip_id, id,
              'invitation-reminder:' || id || ':' || token_nonce, remind_at
         FROM due
        WHERE remind_at <= now() AND last_sent_at < remind_at
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
       RETURNING id`,
      [days],
    );
    return planned.length;
  }
}
