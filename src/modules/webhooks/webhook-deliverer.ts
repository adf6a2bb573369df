import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { Changes } from '../audit/changes.js';
import type { WebhookAttemptDto } from './dto/webhook-delivery.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { sendWebhook, type SendResult } from './webhook-sender.js';
import { signature } from './webhook-signature.js';
import { DEACTIVATE_AFTER_MS } from './webhooks.constants.js';
import { WebhooksRepository, type ClaimedDelivery } from './webhooks.repository.js';
import { WEBHOOK_ENDPOINT } from './webhooks.subjects.js';

/** Where an attempt left its delivery. */
export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed';

/**
 * One attempt at a delivery (the worker's job, and `POST .../test` at
 * once): signed the Standard Webhooks way with the endpoint's secrets,
 * sent through the address guard, recorded with the receiver's answer;
 * then succeeded, due again after WEBHOOK_RETRY_DELAY_MS doubled per
 * attempt, or failed after the last. An endpoint failing for three days is
 * switched off.
 */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);

  constructor(
    private readonly config: AppConfig,
    private readonly endpoints: WebhookEndpointsService,
    private readonly webhooks: WebhooksRepository,
    private readonly changes: Changes,
  ) {}

  async attempt(
    claimed: ClaimedDelivery,
  ): Promise<{ outcome: AttemptOutcome; attempt: WebhookAttemptDto }> {
    const { delivery, endpoint } = claimed;
    const requestId = randomUUID();
    const startedAt = new Date();
    const result: SendResult = endpoint.active
      ? await this.send(claimed, requestId, startedAt)
      : { status: null, body: null, error: 'the endpoint is switched off', durationMs: 0 };
    const succeeded = result.status !== null && result.status >= 200 && result.status < 300;
    const retryAt = succeeded || !endpoint.active ? null : this.retryAt(claimed);
    const { disabled } = await this.webhooks.recordAttempt(
      requestId,
      claimed,
      result,
      startedAt,
      retryAt,
      new Date(startedAt.getTime() - DEACTIVATE_AFTER_MS),
      // Audited, and the agency's admins are told (WebhookDisabledMessages), in that transaction.
      (manager) =>
        this.changes.record(manager, SYSTEM_ACTOR, {
          tenantId: endpoint.tenantId,
          subject: WEBHOOK_ENDPOINT,
          id: endpoint.id,
          action: 'webhook_endpoint.disabled',
          changes: { active: { before: true, after: false } },
        }),
    );
    if (disabled) {
      this.logger.warn(
        { endpointId: endpoint.id, tenantId: endpoint.tenantId },
        'webhook endpoint switched off after failing for three days',
      );
    }
    return {
      outcome: succeeded ? 'succeeded' : retryAt ? 'retrying' : 'failed',
      attempt: {
        requestId,
        attempt: delivery.attempts,
        startedAt,
        durationMs: result.durationMs,
        responseStatus: result.status,
        responseBody: result.body,
        error: result.error,
        nextRetryAt: succeeded ? null : retryAt,
      },
    };
  }

  /** When the next attempt is due: WEBHOOK_RETRY_DELAY_MS doubled per attempt; null after the last. */
  retryAt({ delivery }: ClaimedDelivery): Date | null {
    return delivery.attempts < delivery.attemptLimit
      ? new Date(Date.now() + this.config.WEBHOOK_RETRY_DELAY_MS * 2 ** (delivery.attempts - 1))
      : null;
  }

  private send(
    { delivery, endpoint }: ClaimedDelivery,
    requestId: string,
    at: Date,
  ): Promise<SendResult> {
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(at.getTime() / 1000);
    return sendWebhook(
      endpoint.url,
      {
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature(
          this.endpoints.secrets(endpoint, at),
          delivery.id,
          timestamp,
          body,
        ),
        'x-request-id': requestId,
      },
      body,
      this.endpoints.policy,
    );
  }
}
