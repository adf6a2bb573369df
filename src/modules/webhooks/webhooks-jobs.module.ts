import { Module } from '@nestjs/common';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job.js';
import { WebhookPlanner } from './jobs/webhook-planner.js';
import { WebhookRelay } from './jobs/webhook-relay.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookDisabledMessages } from './webhook-disabled.messages.js';
import { WebhookEvents } from './webhook-events.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * The worker side of webhooks: the relay, the planner of timed events, the
 * delivery job, and the events of changes the worker makes (agreements
 * expiring, seats freed).
 */
@Module({
  imports: [NotificationsModule],
  providers: [
    WebhookRelay,
    WebhookPlanner,
    DeliverWebhookJob,
    WebhookDeliverer,
    WebhookEndpointsService,
    WebhookEvents,
    WebhookDisabledMessages,
    WebhooksRepository,
    PiiCipher,
  ],
})
export class WebhooksJobsModule {}
