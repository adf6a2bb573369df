import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import type { Page, PageQueryDto } from '../../common/pagination/pagination.js';
import { NotFound, ValidationFailed } from '../../common/problem/domain-error.js';
import { sentFields } from '../../common/validation.js';
import { AppConfig } from '../../config/app-config.js';
import { lockForChange } from '../../database/tenant-rows.js';
import { auditActor } from '../audit/audit.service.js';
import { Changes, diff } from '../audit/changes.js';
import type { Actor } from '../identity/access/actor.js';
import type {
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
} from './dto/webhook-endpoint.dto.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { AddressRefused, checkUrl, resolvePublic, type AddressPolicy } from './webhook-address.js';
import { newSecret } from './webhook-signature.js';
import { secretContext } from './webhook-secrets.sealing.js';
import { SECRET_OVERLAP_MS } from './webhooks.constants.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WEBHOOK_ENDPOINT } from './webhooks.subjects.js';

const WHAT = 'webhook endpoint';

/**
 * Webhook endpoints: created with a secret of ours (shown once, sealed at
 * rest), checked against private addresses when created or moved, rotated
 * with a day's overlap. Audited, the secret never in the trail.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly cipher: PiiCipher,
    private readonly endpoints: WebhooksRepository,
    private readonly changes: Changes,
  ) {}

  /** Who may receive: WEBHOOK_ALLOWED_HOSTS, and https only in production. */
  get policy(): AddressPolicy {
    return {
      allowedHosts: this.config.WEBHOOK_ALLOWED_HOSTS,
      requireHttps: this.config.isProduction,
    };
  }

  list(actor: Actor, query: PageQueryDto): Promise<Page<WebhookEndpoint>> {
    return this.endpoints.page(actor.tenantId, query);
  }

  async get(actor: Actor, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findInTenant(actor.tenantId, id);
    if (!endpoint) throw new NotFound(WHAT);
    return endpoint;
  }

  async create(
    actor: Actor,
    dto: CreateWebhookEndpointDto,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const url = await this.checkedUrl(dto.url);
    const secret = newSecret();
    const id = randomUUID();
    const sealed = this.cipher.seal(secret, secretContext(id));
    const endpoint = await this.dataSource.transaction(async (manager) => {
      const created = manager.create(WebhookEndpoint, {
        ...sentFields(dto),
        id,
        url,
        tenantId: actor.tenantId,
        eventTypes: dto.eventTypes,
        secretKeyId: sealed.keyId,
        secret: sealed.data,
      });
      await manager.save(created);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: WEBHOOK_ENDPOINT,
        id,
        action: 'webhook_endpoint.created',
        changes: diff({}, { ...sentFields(dto), url }),
      });
      return created;
    });
    return { endpoint, secret };
  }

  async update(
    actor: Actor,
    id: string,
    dto: UpdateWebhookEndpointDto,
    expectedVersion?: number,
  ): Promise<WebhookEndpoint> {
    const sent = sentFields(dto);
    if (sent.url !== undefined) sent.url = await this.checkedUrl(sent.url);
    return this.dataSource.transaction(async (manager) => {
      const endpoint = await this.lock(manager, actor, id, expectedVersion);
      const changes = diff(endpoint, sent);
      if (!changes) return endpoint;
      Object.assign(endpoint, sent);
      // Switched on again: it starts with a clean record.
      if (changes.active?.after === true) {
        endpoint.failingSince = null;
        endpoint.disabledForFailuresAt = null;
      }
      await manager.save(endpoint);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: WEBHOOK_ENDPOINT,
        id,
        action: 'webhook_endpoint.updated',
        changes,
      });
      return endpoint;
    });
  }

  async delete(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.lock(manager, actor, id, expectedVersion);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: WEBHOOK_ENDPOINT,
        id,
        action: 'webhook_endpoint.deleted',
        changes: { url: { before: endpoint.url, after: null } },
      });
      await manager.delete(WebhookEndpoint, { tenantId: actor.tenantId, id });
    });
  }

  /**
   * A new secret; the current one keeps signing beside it for a day
   * (SECRET_OVERLAP_MS), so receivers can switch without losing events.
   */
  async rotateSecret(
    actor: Actor,
    id: string,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const secret = newSecret();
    const endpoint = await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.lock(manager, actor, id);
      const previous = this.cipher.seal(
        this.cipher.open({ keyId: endpoint.secretKeyId, data: endpoint.secret }, secretContext(id)),
        secretContext(id, 'previous'),
      );
      const current = this.cipher.seal(secret, secretContext(id));
      const expiresAt = new Date(Date.now() + SECRET_OVERLAP_MS);
      Object.assign(endpoint, {
        secretKeyId: current.keyId,
        secret: current.data,
        previousSecretKeyId: previous.keyId,
        previousSecret: previous.data,
        previousSecretExpiresAt: expiresAt,
      });
      await manager.save(endpoint);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: WEBHOOK_ENDPOINT,
        id,
        action: 'webhook_endpoint.secret_rotated',
        changes: { previousSecretExpiresAt: { before: null, after: expiresAt.toISOString() } },
      });
      return endpoint;
    });
    return { endpoint, secret };
  }

  /** The secrets that sign its deliveries now: the current one, and the previous during the overlap. */
  secrets(endpoint: WebhookEndpoint, now = new Date()): string[] {
    const secrets = [
      this.cipher.open(
        { keyId: endpoint.secretKeyId, data: endpoint.secret },
        secretContext(endpoint.id),
      ),
    ];
    if (
      endpoint.previousSecret &&
      endpoint.previousSecretKeyId &&
      endpoint.previousSecretExpiresAt &&
      endpoint.previousSecretExpiresAt > now
    ) {
      secrets.push(
        this.cipher.open(
          { keyId: endpoint.previousSecretKeyId, data: endpoint.previousSecret },
          secretContext(endpoint.id, 'previous'),
        ),
      );
    }
    return secrets;
  }

  /** The endpoint, locked for a change (412 when `expectedVersion` is not its version). */
  private lock(manager: EntityManager, actor: Actor, id: string, expectedVersion?: number) {
    return lockForChange(manager, WebhookEndpoint, actor.tenantId, id, expectedVersion, WHAT);
  }

  /** The URL as stored, or 400 naming `url` with why it is refused (its address is resolved too). */
  private async checkedUrl(url: string): Promise<string> {
    try {
      const parsed = checkUrl(url, this.policy);
      await resolvePublic(parsed.hostname.replace(/^\[|\]$/g, ''), this.policy);
      return parsed.toString();
    } catch (error) {
      if (error instanceof AddressRefused) {
        throw new ValidationFailed([{ field: 'url', message: error.message }]);
      }
      // A name that does not resolve cannot be checked (nor delivered to).
      if (typeof (error as NodeJS.ErrnoException).code === 'string') {
        throw new ValidationFailed([
          {
            field: 'url',
            message: `url's host name does not resolve (${(error as NodeJS.ErrnoException).code})`,
          },
        ]);
      }
      throw error;
    }
  }
}
