import { Module } from '@nestjs/common';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { WebhookEvents } from './webhook-events.js';
import { WebhookSecretsSealing } from './webhook-secrets.sealing.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * What `npm run cli` needs of webhooks: the changes its commands make (the
 * demo seed's trips, participants, meetings) emit their events as the API's
 * do, into the same outbox the worker delivers from; signing secrets are
 * re-sealed by `reencrypt`.
 */
@Module({ providers: [PiiCipher, WebhooksRepository, WebhookEvents, WebhookSecretsSealing] })
export class WebhooksCliModule {}
