import { Module } from '@nestjs/common';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job.js';
import { WebhookRelay } from './jobs/webhook-relay.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookEvents } from './webhook-events.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * The worker side of webhooks: the relay, the delivery job, and the events
 * of changes the worker makes (agreements expiring, seats freed).
 */
@Module({
  providers: [
    WebhookRelay,
    DeliverWebhookJob,
    WebhookDeliverer,
    WebhookEndpointsService,
    WebhookEvents,
    WebhooksRepository,
    PiiCipher,
  ],
})
export class WebhooksJobsModule {}
