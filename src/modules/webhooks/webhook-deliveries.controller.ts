import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import {
  ListWebhookDeliveriesQuery,
  WebhookDeliveryDto,
  WebhookTestResultDto,
} from './dto/webhook-delivery.dto.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const ENDPOINT_ID = "The webhook endpoint's id.";

@ApiTags('webhooks')
@Controller('webhook-endpoints/:id')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  /**
   * The delivery log: each event sent to the endpoint, newest first, with every attempt.
   *
   * @remarks
   * Each attempt has its request id (sent as `X-Request-Id`), the receiver's status, how long
   * it took, the start of its answer (2 KB), and when the next attempt is due. Filters:
   * `status`, `eventType`, `from`/`to` (when the event happened). Cursor-paginated.
   */
  @Get('deliveries')
  @Requires('webhooks:read')
  @ApiPageResponse(WebhookDeliveryDto)
  @ApiProblems(400, 404)
  list(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ENDPOINT_ID) id: string,
    @Query() query: ListWebhookDeliveriesQuery,
  ): Promise<Page<WebhookDeliveryDto>> {
    return this.deliveries.list(actor, id, query);
  }

  /**
   * Send a delivery again, now.
   *
   * @remarks
   * The same event with the same `webhook-id` (receivers that saw it drop the repeat), one
   * more attempt, made by the worker within a second or so. 409 `delivery_under_way` while an
   * attempt is queued or running.
   */
  @Post('deliveries/:deliveryId/redeliver')
  @Idempotent()
  @Requires('webhooks:write')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(400, 404, 409)
  redeliver(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ENDPOINT_ID) id: string,
    @UuidParam('deliveryId', "The delivery's id.") deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    return this.deliveries.redeliver(actor, id, deliveryId);
  }

  /**
   * Send a `webhook.test` event now and see how the receiver answered.
   *
   * @remarks
   * Signed like every event; made from this request (up to 10 s), once, and logged among the
   * deliveries.
   */
  @Post('test')
  @Idempotent()
  @Requires('webhooks:write')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookTestResultDto })
  @ApiProblems(400, 404)
  test(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ENDPOINT_ID) id: string,
  ): Promise<WebhookTestResultDto> {
    return this.deliveries.test(actor, id);
  }
}
