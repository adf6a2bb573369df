import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { Changes } from '../audit/changes.js';
import type { Notification } from '../notifications/entities/notification.entity.js';
import {
  OwnsMessages,
  type Addressing,
  type Loaded,
  type MessageKind,
} from '../notifications/message-kinds.js';
import { Outbox } from '../notifications/outbox.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WEBHOOK_ENDPOINT } from './webhooks.subjects.js';

const KIND = 'webhook_endpoint_disabled';

/**
 * When an endpoint is switched off for failing three days, the agency's
 * owners and admins hear of it (in the transaction that switched it off),
 * with its delivery log. Not sent if it is on again by then.
 */
@Injectable()
@OwnsMessages()
export class WebhookDisabledMessages implements MessageKind, OnModuleInit {
  readonly kinds = [KIND] as const;

  constructor(
    private readonly config: AppConfig,
    private readonly changes: Changes,
    private readonly outbox: Outbox,
    private readonly webhooks: WebhooksRepository,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(WEBHOOK_ENDPOINT, async (manager, change) => {
      if (change.action !== 'webhook_endpoint.disabled' || !change.id) return;
      const admins = await this.webhooks.admins(manager, change.tenantId);
      await this.outbox.add(
        manager,
        admins.map((admin) => ({
          tenantId: change.tenantId,
          kind: KIND,
          recipient: { userId: admin.id },
          recipientEmail: admin.email,
          subject: { type: WEBHOOK_ENDPOINT.type, id: change.id! },
          dedupeKey: `webhook-disabled:${change.id}:${admin.id}:${change.occurredAt.toISOString()}`,
        })),
      );
    });
  }

  async load(
    manager: EntityManager,
    message: Notification,
    addressing: Addressing,
  ): Promise<Loaded> {
    const endpoint = await this.webhooks.endpointFacts(manager, message.subjectId!);
    if (!endpoint) return { stale: 'the webhook endpoint is gone' };
    if (endpoint.active) return { stale: 'the webhook endpoint is switched on again' };
    return {
      context: {
        ...addressing,
        kind: KIND,
        link: '',
        personalMessage: null,
        waitlistPosition: null,
        webhookEndpoint: {
          url: endpoint.url,
          description: endpoint.description,
          failingSince: endpoint.failingSince ?? message.createdAt,
          deliveriesUrl: `${this.config.PUBLIC_BASE_URL}/api/v1/webhook-endpoints/${endpoint.id}/deliveries`,
        },
      },
    };
  }
}
