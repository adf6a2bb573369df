import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ApiInteger, ApiUuid } from '../../../common/openapi.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import { IsInstant } from '../../../common/validation.js';
import type { WebhookAttempt } from '../entities/webhook-attempt.entity.js';
import type { WebhookDelivery, WebhookPayload } from '../entities/webhook-delivery.entity.js';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
} from '../webhooks.constants.js';

export class ListWebhookDeliveriesQuery extends PageQueryDto {
  /** Only deliveries in this state: `scheduled` (due, or waiting to retry), `queued`, `sending`, `succeeded`, `failed`. */
  @IsOptional()
  @IsIn(WEBHOOK_DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;

  /** Only events of this type. */
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_TYPES)
  eventType?: string;

  /** Events from this instant on (ISO 8601). */
  @IsOptional()
  @IsInstant()
  from?: Date;

  /** Events before this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  to?: Date;
}

/** One try at a delivery. */
export class WebhookAttemptDto {
  /** Sent as the request's `X-Request-Id`, so the receiver's logs can be matched. */
  @ApiUuid()
  requestId: string;
  @ApiInteger()
  attempt: number;
  startedAt: Date;
  @ApiInteger()
  durationMs: number;
  /** The receiver's HTTP status; null when no answer came. */
  @ApiProperty({ type: 'integer', nullable: true })
  responseStatus: number | null;
  /** The start of the answer (2 KB). */
  responseBody: string | null;
  /** Why no answer came (refused address, timeout, connection error). */
  error: string | null;
  /** When the next attempt is due; null after success or the last attempt. */
  nextRetryAt: Date | null;

  static from(attempt: WebhookAttempt): WebhookAttemptDto {
    return {
      requestId: attempt.id,
      attempt: attempt.attempt,
      startedAt: attempt.startedAt,
      durationMs: attempt.durationMs,
      responseStatus: attempt.responseStatus,
      responseBody: attempt.responseBody,
      error: attempt.error,
      nextRetryAt: attempt.nextRetryAt,
    };
  }
}

/** One event for one endpoint, and every attempt at it. */
export class WebhookDeliveryDto {
  /** The `webhook-id` header: the same on every attempt and redelivery. */
  @ApiUuid()
  id: string;
  @ApiUuid()
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  @ApiInteger()
  attempts: number;
  /** When the next attempt is due, while one is; else null. */
  nextAttemptAt: Date | null;
  createdAt: Date;
  /** The body as sent. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  payload: WebhookPayload;
  @ApiProperty({ type: [WebhookAttemptDto] })
  log: WebhookAttemptDto[];

  static from(delivery: WebhookDelivery, attempts: WebhookAttempt[]): WebhookDeliveryDto {
    return {
      id: delivery.id,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      status: delivery.status,
      attempts: delivery.attempts,
      nextAttemptAt: delivery.status === 'scheduled' ? delivery.dueAt : null,
      createdAt: delivery.createdAt,
      payload: delivery.payload,
      log: attempts.map((attempt) => WebhookAttemptDto.from(attempt)),
    };
  }
}

/** What `POST .../test` answers: the test event's delivery and its one attempt. */
export class WebhookTestResultDto {
  @ApiUuid()
  deliveryId: string;
  /** `succeeded` (2xx) or `failed`. */
  @ApiProperty({ enum: ['succeeded', 'failed'] })
  outcome: 'succeeded' | 'retrying' | 'failed';
  attempt: WebhookAttemptDto;
}
