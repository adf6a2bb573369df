import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { JobName } from '../../../queue/jobs.js';
import { Queues } from '../../../queue/queues.js';
import { RelayRounds, REDIS_TIMEOUT_MS, type HandOverWhich } from '../../../queue/relay-rounds.js';
import { NotificationsRepository } from '../notifications.repository.js';

/**
 * The outbox relay for messages (RelayRounds): due `scheduled` messages
 * become jobs (job id = message id) and `queued`; `queued` ones not sent
 * within RELAY_REQUEUE_AFTER_MS, and `sending` ones whose lease ran out (a
 * crashed worker), are added again. What is due is planned by the message
 * kinds (MessagePlanner).
 */
@Injectable()
export class Relay extends RelayRounds<string> {
  protected readonly logger = new Logger(Relay.name);

  constructor(
    config: AppConfig,
    queues: Queues,
    private readonly notifications: NotificationsRepository,
  ) {
    super(config, queues);
  }

  protected handOver(
    which: HandOverWhich,
    limit: number,
    enqueue: (ids: string[]) => Promise<void>,
  ): Promise<number> {
    return this.notifications.handOver(which, limit, enqueue);
  }

  protected enqueue(ids: string[]): Promise<void> {
    const delay = this.config.NOTIFICATION_RETRY_DELAY_MS;
    return this.queues.enqueueBulkWithin(
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
