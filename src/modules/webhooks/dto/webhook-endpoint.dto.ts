import { ApiProperty, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
} from 'class-validator';
import { ApiInteger, ApiUuid } from '../../../common/openapi.js';
import { IsText } from '../../../common/validation.js';
import type { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../webhooks.constants.js';

const EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, ALL_EVENTS];

export class CreateWebhookEndpointDto {
  /**
   * Where events are POSTed: `https` (plain `http` only for hosts in WEBHOOK_ALLOWED_HOSTS, or
   * outside production). Addresses in private, loopback, link-local, multicast or cloud-metadata
   * ranges are refused, here and again when delivering.
   */
  @ApiProperty({ maxLength: 2000, example: 'https://crm.example.org/hooks/delegation-desk' })
  @IsText(2000)
  url: string;

  @IsOptional()
  @IsText(500)
  description?: string | null;

  /** Event types from the catalogue (README, "Webhooks"), or `["*"]` for all, including later ones. */
  @ApiProperty({ type: [String], enum: EVENT_TYPES, example: ['participant.registered'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPES, { each: true })
  eventTypes: string[];

  /** Default true; false pauses deliveries (events meanwhile are not kept for it). */
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateWebhookEndpointDto extends PartialType(CreateWebhookEndpointDto) {}

export class WebhookEndpointDto {
  @ApiUuid()
  id: string;
  url: string;
  description: string | null;
  @ApiProperty({ type: [String], enum: EVENT_TYPES })
  eventTypes: string[];
  active: boolean;
  /** Since when every attempt has failed; null while deliveries succeed. */
  failingSince: Date | null;
  /** When it was switched off after failing for three days (its admins were told); null otherwise. */
  disabledForFailuresAt: Date | null;
  /** Until when the secret before the last rotation signs too; null without an overlap. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  @ApiInteger()
  version: number;

  static from(endpoint: WebhookEndpoint): WebhookEndpointDto {
    return {
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      eventTypes: endpoint.eventTypes,
      active: endpoint.active,
      failingSince: endpoint.failingSince,
      disabledForFailuresAt: endpoint.disabledForFailuresAt,
      previousSecretExpiresAt:
        endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()
          ? endpoint.previousSecretExpiresAt
          : null,
      createdAt: endpoint.createdAt,
      updatedAt: endpoint.updatedAt,
      version: endpoint.version,
    };
  }
}

/** An endpoint with its signing secret: shown once, on creation and on rotation. */
export class WebhookEndpointWithSecretDto extends WebhookEndpointDto {
  /** `whsec_…` (Standard Webhooks): keep it; it is not shown again. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;
}
