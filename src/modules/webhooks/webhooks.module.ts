import { Module } from '@nestjs/common';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { WebhookDeliveriesController } from './webhook-deliveries.controller.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookDisabledMessages } from './webhook-disabled.messages.js';
import { WebhookEvents } from './webhook-events.js';
import { WebhooksPersonalData } from './webhooks.personal-data.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** Webhook endpoints, their delivery log, and the events of the API's changes. */
@Module({
  imports: [NotificationsModule],
  controllers: [WebhookEndpointsController, WebhookDeliveriesController],
  providers: [
    WebhooksRepository,
    WebhookEndpointsService,
    WebhookDeliverer,
    WebhookDeliveriesService,
    WebhookEvents,
    WebhookDisabledMessages,
    WebhooksPersonalData,
    PiiCipher,
  ],
})
export class WebhooksModule {}
