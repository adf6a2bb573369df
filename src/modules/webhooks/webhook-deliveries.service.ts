import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page } from '../../common/pagination/pagination.js';
import { DomainError, NotFound } from '../../common/problem/domain-error.js';
import type { Actor } from '../identity/access/actor.js';
import {
  WebhookDeliveryDto,
  type ListWebhookDeliveriesQuery,
  type WebhookAttemptDto,
} from './dto/webhook-delivery.dto.js';
import { WebhookDeliverer, type AttemptOutcome } from './webhook-deliverer.js';
import { WebhookDeliveryReads } from './webhook-deliveries.reads.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** 409: a redelivery asked for while an attempt is queued or running. */
class DeliveryUnderWay extends DomainError {
  constructor() {
    super(
      409,
      'delivery_under_way',
      'This delivery is queued or being sent; wait for its outcome.',
    );
  }
}

/** An endpoint's delivery log, redeliveries, and the test event. */
@Injectable()
export class WebhookDeliveriesService {
  private readonly reads: WebhookDeliveryReads;

  constructor(
    private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointsService,
    private readonly webhooks: WebhooksRepository,
    private readonly deliverer: WebhookDeliverer,
  ) {
    this.reads = new WebhookDeliveryReads(dataSource);
  }

  /** Newest first, each with its attempts; an unknown endpoint is 404: one statement. */
  async list(
    actor: Actor,
    endpointId: string,
    query: ListWebhookDeliveriesQuery,
  ): Promise<Page<WebhookDeliveryDto>> {
    const page = await this.reads.page(actor.tenantId, endpointId, query);
    return {
      items: page.items.map((delivery) => WebhookDeliveryDto.from(delivery, delivery.log)),
      nextCursor: page.nextCursor,
    };
  }

  /** Sends a delivery again at once (same `webhook-id`), one more attempt. */
  async redeliver(actor: Actor, endpointId: string, id: string): Promise<WebhookDeliveryDto> {
    await this.endpoints.get(actor, endpointId);
    if (!(await this.webhooks.findDelivery(endpointId, id))) throw new NotFound('delivery');
    if (!(await this.webhooks.redeliver(endpointId, id))) throw new DeliveryUnderWay();
    const delivery = (await this.webhooks.findDelivery(endpointId, id))!;
    const attempts = await this.webhooks.attempts([id]);
    return WebhookDeliveryDto.from(delivery, attempts.get(id)!);
  }

  /** A `webhook.test` event sent now, from this request; the attempt as it went. */
  async test(
    actor: Actor,
    endpointId: string,
  ): Promise<{ deliveryId: string; outcome: AttemptOutcome; attempt: WebhookAttemptDto }> {
    const endpoint = await this.endpoints.get(actor, endpointId);
    const claimed = await this.dataSource.transaction((manager) =>
      this.webhooks.addTest(manager, endpoint, new Date()),
    );
    const { outcome, attempt } = await this.deliverer.attempt(claimed);
    return { deliveryId: claimed.delivery.id, outcome, attempt };
  }
}
