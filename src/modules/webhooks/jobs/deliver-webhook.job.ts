import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler, type HandlesJob } from '../../../queue/job-handler.js';
import { JobName, type JobPayloads, type JobResults } from '../../../queue/jobs.js';
import { WebhookDeliverer } from '../webhook-deliverer.js';
import { WebhooksRepository } from '../webhooks.repository.js';

type Deliver = JobName.WebhooksDeliver;

/**
 * One attempt at one delivery. Retries are not BullMQ's: a failed attempt
 * puts the delivery back in PostgreSQL, due later, and the relay hands it
 * over again then, so no retry is lost with Redis. A delivery that is not
 * queued any more (done, or taken by another worker) is skipped.
 */
@Injectable()
@JobHandler(JobName.WebhooksDeliver)
export class DeliverWebhookJob implements HandlesJob<Deliver> {
  private readonly logger = new Logger(DeliverWebhookJob.name);

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliverer: WebhookDeliverer,
  ) {}

  async handle(job: Job<JobPayloads[Deliver], JobResults[Deliver], Deliver>) {
    const claimed = await this.webhooks.claim(job.data.deliveryId);
    if (!claimed) return { outcome: 'skipped' as const };
    try {
      const { outcome } = await this.deliverer.attempt(claimed);
      return { outcome };
    } catch (error) {
      // Our failure, not the receiver's: the delivery waits for its next attempt (or fails
      // after its last) rather than stay `sending`.
      this.logger.error(
        { err: error, deliveryId: claimed.delivery.id },
        'webhook attempt broke off',
      );
      const retryAt = this.deliverer.retryAt(claimed);
      await this.webhooks.releaseAfterError(claimed.delivery, retryAt);
      return { outcome: retryAt ? ('retrying' as const) : ('failed' as const) };
    }
  }
}
