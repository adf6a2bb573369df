import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { DatabaseNudges } from '../../../database/database-nudges.js';
import { JobName } from '../../../queue/jobs.js';
import { Queues } from '../../../queue/queues.js';
import { RelayRounds, REDIS_TIMEOUT_MS, type HandOverWhich } from '../../../queue/relay-rounds.js';
import { WebhooksRepository } from '../webhooks.repository.js';

type Row = { id: string; attempts: number };

/**
 * The relay for webhook deliveries (RelayRounds): due ones (first attempts
 * and retries) become one job per attempt (the job id names the attempt,
 * so a job Redis still holds is not doubled) and `queued`; those queued
 * and never started, or started longer ago than an attempt can last, are
 * added again.
 */
@Injectable()
export class WebhookRelay extends RelayRounds<Row> {
  protected readonly logger = new Logger(WebhookRelay.name);
  protected readonly channel = 'outbox_webhooks';

  constructor(
    config: AppConfig,
    queues: Queues,
    nudges: DatabaseNudges,
    private readonly webhooks: WebhooksRepository,
  ) {
    super(config, queues, nudges);
  }

  protected handOver(
    which: HandOverWhich,
    limit: number,
    enqueue: (rows: Row[]) => Promise<void>,
  ): Promise<number> {
    return this.webhooks.handOver(which, limit, enqueue);
  }

  protected enqueue(rows: Row[]): Promise<void> {
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
