import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { JobName } from '../../../queue/jobs.js';
import { Queues } from '../../../queue/queues.js';
import { Rounds } from '../../../queue/rounds.js';
import { NotificationsRepository } from '../notifications.repository.js';

/** Rows handed over per round; the next round (soon after) takes the rest. */
const BATCH = 500;
/** Redis that does not answer within this is treated as down: the round rolls back. */
const REDIS_TIMEOUT_MS = 5000;

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
 * side by side. What is due is planned by the message kinds (MessagePlanner).
 */
@Injectable()
export class Relay extends Rounds {
  private readonly logger = new Logger(Relay.name);

  constructor(
    private readonly config: AppConfig,
    private readonly queues: Queues,
    private readonly notifications: NotificationsRepository,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.RELAY_INTERVAL_MS;
  }

  /** One round; errors are logged and the next round tries again. */
  async round(): Promise<void> {
    try {
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
    return this.notifications.handOver('due', BATCH, (ids) => this.enqueue(ids));
  }

  /** Hands over again what should be in the queue but may not be. Returns how many. */
  redeliver(): Promise<number> {
    return this.notifications.handOver(
      { overdueAfterMs: this.config.RELAY_REQUEUE_AFTER_MS },
      BATCH,
      (ids) => this.enqueue(ids),
    );
  }

  private async enqueue(ids: string[]): Promise<void> {
    const delay = this.config.NOTIFICATION_RETRY_DELAY_MS;
    await this.queues.enqueueBulkWithin(
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
      REDIS_TIMEOUT_MS,
    );
  }
}
