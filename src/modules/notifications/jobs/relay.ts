import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { DatabaseNudges } from '../../../database/database-nudges.js';
import { JobName } from '../../../queue/jobs.js';
import { Queues } from '../../../queue/queues.js';
import { RelayRounds, REDIS_TIMEOUT_MS, type HandOverWhich } from '../../../queue/relay-rounds.js';
import { NotificationsRepository } from '../notifications.repository.js';

/**
 * The outbox relay for messages (RelayRounds): due `scheduled` messages
 * become jobs, NOTIFICATION_BATCH_SIZE messages to a job, and `queued`; `queued` ones not sent
 * within RELAY_REQUEUE_AFTER_MS, and `sending` ones whose lease ran out (a
 * crashed worker), are added again. What is due is planned by the message
 * kinds (MessagePlanner).
 */
@Injectable()
export class Relay extends RelayRounds<string> {
  protected readonly logger = new Logger(Relay.name);
  protected readonly channel = 'outbox_notifications';

  constructor(
    config: AppConfig,
    queues: Queues,
    nudges: DatabaseNudges,
    private readonly notifications: NotificationsRepository,
  ) {
    super(config, queues, nudges);
  }

  protected handOver(
    which: HandOverWhich,
    limit: number,
    enqueue: (ids: string[]) => Promise<void>,
  ): Promise<number> {
    return this.notifications.handOver(which, limit, enqueue);
  }

  /**
   * Jobs of up to NOTIFICATION_BATCH_SIZE messages. A job's id follows from
   * its messages (a lone message's id, else a digest of the ids), so the same
   * hand-over made twice (a round that failed to commit) adds no second job.
   */
  protected enqueue(ids: string[]): Promise<void> {
    const delay = this.config.NOTIFICATION_RETRY_DELAY_MS;
    const size = this.config.NOTIFICATION_BATCH_SIZE;
    const batches = Array.from({ length: Math.ceil(ids.length / size) }, (_, index) =>
      ids.slice(index * size, (index + 1) * size),
    );
    return this.queues.enqueueBulkWithin(
      JobName.NotificationsSend,
      batches.map((batch) => ({
        payload: { notificationIds: batch },
        options: {
          jobId: batch.length === 1 ? batch[0] : `batch-${digest(batch)}`,
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

function digest(ids: string[]): string {
  return createHash('sha256').update(ids.join(',')).digest('base64url').slice(0, 22);
}
