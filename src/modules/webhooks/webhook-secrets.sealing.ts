import { Injectable } from '@nestjs/common';
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

  async resealAll(): Promise<Resealed> {
    const result: Resealed = { resealed: 0, failed: [] };
    await inLockedBatches(this.dataSource, WebhookEndpoint, 'id', async (manager, rows) => {
      // The database's clock, as the API's: whether an overlap has ended is not this host's call.
      const [{ now }] = await manager.query<[{ now: Date }]>('SELECT now() AS now');
      for (const endpoint of rows) {
        const change: Partial<WebhookEndpoint> = {};
        const reseal = (which: 'current' | 'previous', sealed: Sealed) => {
          try {
            const again = this.cipher.resealed(sealed, secretContext(endpoint.id, which));
            if (again) result.resealed++;
            return again;
          } catch (error) {
            result.failed.push(
              `the ${which} secret of webhook endpoint ${endpoint.id}: ${(error as Error).message}`,
            );
            return null;
          }
        };
        const current = reseal('current', { keyId: endpoint.secretKeyId, data: endpoint.secret });
        if (current) Object.assign(change, { secretKeyId: current.keyId, secret: current.data });
        const { previousSecret, previousSecretKeyId, previousSecretExpiresAt } = endpoint;
        if (previousSecretExpiresAt && previousSecretExpiresAt <= now) {
          Object.assign(change, {
            previousSecret: null,
            previousSecretKeyId: null,
            previousSecretExpiresAt: null,
          });
        } else if (previousSecret && previousSecretKeyId) {
          const previous = reseal('previous', { keyId: previousSecretKeyId, data: previousSecret });
          if (previous) {
            Object.assign(change, {
              previousSecretKeyId: previous.keyId,
              previousSecret: previous.data,
            });
          }
        }
        if (Object.keys(change).length === 0) continue;
        // The secrets did not change: the version (ETag) and updatedAt stay.
        await manager.update(
          WebhookEndpoint,
          { id: endpoint.id },
          { ...change, version: endpoint.version, updatedAt: endpoint.updatedAt },
        );
      }
    });
    return result;
  }
}
