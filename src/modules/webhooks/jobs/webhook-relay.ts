import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { JobName } from '../../../queue/jobs.js';
import { Queues } from '../../../queue/queues.js';
import { Rounds } from '../../../queue/rounds.js';
import { WebhooksRepository } from '../webhooks.repository.js';

/** Deliveries handed over per round; the next round (soon after) takes the rest. */
const BATCH = 500;
/** Redis that does not answer within this is treated as down: the round rolls back. */
const REDIS_TIMEOUT_MS = 5000;

/**
 * Moves webhook deliveries from PostgreSQL (the source of truth) into
 * BullMQ every RELAY_INTERVAL_MS, as the message relay does: due ones
 * (first attempts and retries) are added as jobs and marked `queued` in one
 * transaction; those queued or started more than RELAY_REQUEUE_AFTER_MS ago
 * without an outcome (Redis flushed, a worker killed) are added again (the
 * job id names the attempt, so a job Redis still holds is not doubled).
 */
@Injectable()
export class WebhookRelay extends Rounds {
  private readonly logger = new Logger(WebhookRelay.name);

  constructor(
    private readonly config: AppConfig,
    private readonly queues: Queues,
    private readonly webhooks: WebhooksRepository,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.RELAY_INTERVAL_MS;
  }

  async round(): Promise<void> {
    try {
      if (!this.queues.connected()) return;
      while ((await this.webhooks.handOver('due', BATCH, (rows) => this.enqueue(rows))) === BATCH);
      const overdue = { overdueAfterMs: this.config.RELAY_REQUEUE_AFTER_MS };
      while (
        (await this.webhooks.handOver(overdue, BATCH, (rows) => this.enqueue(rows))) === BATCH
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook relay round failed; retrying next round');
    }
  }

  private enqueue(rows: { id: string; attempts: number }[]): Promise<void> {
    return this.queues.enqueueBulkWithin(
      JobName.WebhooksDeliver,
      rows.map(({ id, attempts }) => ({
        payload: { deliveryId: id },
        options: {
          jobId: `${id}-${attempts + 1}`,
          attempts: 1,
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
      REDIS_TIMEOUT_MS,
    );
  }
}
