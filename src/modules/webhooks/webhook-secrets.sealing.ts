import { Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PiiCipher, type Sealed } from '../../common/crypto/pii-cipher.js';
import {
  inLockedBatches,
  KeepsSealedData,
  type Resealed,
  type SealedData,
} from '../../common/crypto/sealed-data.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';

/** A signing secret's sealing context: a sealed secret copied onto another row does not open there. */
export const secretContext = (endpointId: string, which: 'current' | 'previous' = 'current') =>
  `webhook_endpoint:${endpointId}:${which}`;

/**
 * Webhook endpoints' signing secrets: the current one, and the previous
 * one while it still signs beside it after a rotation. A previous secret
 * whose overlap has ended signs nothing any more: it is dropped rather than
 * sealed again.
 */
@Injectable()
@KeepsSealedData()
export class WebhookSecretsSealing implements SealedData {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  async resealAll(): Promise<Resealed> {
    const result: Resealed = {
      what: 'webhook endpoint(s) (signing secrets)',
      resealed: 0,
      failed: [],
    };
    await inLockedBatches(this.dataSource, WebhookEndpoint, 'id', async (manager, rows) => {
      const now = new Date();
      for (const endpoint of rows) {
        let change: Partial<WebhookEndpoint>;
        try {
          change = this.change(endpoint, now);
        } catch (error) {
          result.failed.push(
            `the secret of webhook endpoint ${endpoint.id}: ${(error as Error).message}`,
          );
          continue;
        }
        if (Object.keys(change).length === 0) continue;
        // The secrets did not change: the version (ETag) and updatedAt stay.
        await manager.update(
          WebhookEndpoint,
          { id: endpoint.id },
          { ...change, version: endpoint.version, updatedAt: endpoint.updatedAt },
        );
        result.resealed++;
      }
    });
    return result;
  }

  /** The columns to write for `endpoint`: none when all is sealed with the current key. */
  private change(endpoint: WebhookEndpoint, now: Date): Partial<WebhookEndpoint> {
    const change: Partial<WebhookEndpoint> = {};
    const current = this.cipher.resealed(
      { keyId: endpoint.secretKeyId, data: endpoint.secret },
      secretContext(endpoint.id),
    );
    if (current) Object.assign(change, { secretKeyId: current.keyId, secret: current.data });
    const { previousSecret, previousSecretKeyId, previousSecretExpiresAt } = endpoint;
    if (!previousSecret && !previousSecretKeyId) return change;
    if (
      !previousSecret ||
      !previousSecretKeyId ||
      !previousSecretExpiresAt ||
      previousSecretExpiresAt <= now
    ) {
      return {
        ...change,
        previousSecret: null,
        previousSecretKeyId: null,
        previousSecretExpiresAt: null,
      };
    }
    const sealed: Sealed = { keyId: previousSecretKeyId, data: previousSecret };
    const previous = this.cipher.resealed(sealed, secretContext(endpoint.id, 'previous'));
    if (previous) {
      Object.assign(change, { previousSecretKeyId: previous.keyId, previousSecret: previous.data });
    }
    return change;
  }
}

/** What `npm run cli` needs of webhooks. */
@Module({ providers: [PiiCipher, WebhookSecretsSealing] })
export class WebhooksCliModule {}
