import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import {
  KeepsSealedData,
  resealRows,
  type Resealed,
  type SealedData,
} from '../../common/crypto/sealed-data.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';

/** A signing secret's sealing context: a sealed secret copied onto another row does not open there. */
export const secretContext = (endpointId: string, which: 'current' | 'previous' = 'current') =>
  `webhook_endpoint:${endpointId}:${which}`;

/**
 * Webhook endpoints' signing secrets: the current one, and the previous
 * one while it still signs beside it after a rotation (each on its own: one
 * that cannot be opened does not hold up the other). A previous secret whose
 * overlap has ended signs nothing any more: it is dropped rather than sealed
 * again.
 */
@Injectable()
@KeepsSealedData()
export class WebhookSecretsSealing implements SealedData {
  readonly what = 'webhook signing secret(s)';

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  resealAll(): Promise<Resealed> {
    return resealRows(
      this.dataSource,
      this.cipher,
      WebhookEndpoint,
      'id',
      (endpoint, reseal, now) => {
        const { id, previousSecret, previousSecretKeyId, previousSecretExpiresAt } = endpoint;
        const change: Partial<WebhookEndpoint> = {};
        const current = reseal(
          `the current secret of webhook endpoint ${id}`,
          { keyId: endpoint.secretKeyId, data: endpoint.secret },
          secretContext(id),
        );
        if (current) Object.assign(change, { secretKeyId: current.keyId, secret: current.data });
        // Whether the overlap has ended is the database's call (its clock), as for the API.
        if (previousSecretExpiresAt && previousSecretExpiresAt <= now) {
          return {
            ...change,
            previousSecret: null,
            previousSecretKeyId: null,
            previousSecretExpiresAt: null,
          };
        }
        if (!previousSecret || !previousSecretKeyId) return change;
        const previous = reseal(
          `the previous secret of webhook endpoint ${id}`,
          { keyId: previousSecretKeyId, data: previousSecret },
          secretContext(id, 'previous'),
        );
        if (!previous) return change;
        return { ...change, previousSecretKeyId: previous.keyId, previousSecret: previous.data };
      },
    );
  }
}
