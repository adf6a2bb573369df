import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import type { Page, PageQueryDto } from '../../common/pagination/pagination.js';
import { NotFound, ValidationFailed } from '../../common/problem/domain-error.js';
import { auditActor } from '../audit/audit.service.js';
import type { Actor, Origin } from './access/actor.js';
import type { CreateApiKeyDto } from './dto/api-key.dto.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKey } from './entities/api-key.entity.js';
import { Unauthenticated } from './identity.errors.js';
import { newSecret, sha256 } from './secrets.js';
import { API_KEY } from './identity.subjects.js';
import { Changes } from '../audit/changes.js';

const MAX_KEY_LENGTH = 200;

/** What authenticating with a key needs to know of it. */
export interface ApiKeyPrincipal {
  id: string;
  tenantId: string;
  scopes: ApiKey['scopes'];
  expiresAt: Date | null;
}

const isExpired = (key: { expiresAt: Date | null }) =>
  key.expiresAt !== null && key.expiresAt.getTime() <= Date.now();

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysRepository,
    private readonly changes: Changes,
  ) {}

  /** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
  async create(actor: Actor, dto: CreateApiKeyDto): Promise<{ apiKey: ApiKey; key: string }> {
    if (dto.expiresAt && dto.expiresAt.getTime() <= Date.now()) {
      throw new ValidationFailed([{ field: 'expiresAt', message: 'must be in the future' }]);
    }
    const prefix = `dd_${randomBytes(4).toString('hex')}`;
    const key = `${prefix}_${newSecret()}`;
    const apiKey = await this.dataSource.transaction(async (manager) => {
      const created = manager.create(ApiKey, {
        tenantId: actor.tenantId,
        name: dto.name,
        prefix,
        secretHash: sha256(key),
        scopes: dto.scopes,
        expiresAt: dto.expiresAt ?? null,
        createdByUserId: actor.kind === 'user' ? actor.id : null,
      });
      await manager.save(created);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'api_key.created',
        subject: API_KEY,
        id: created.id,
        changes: { scopes: { before: null, after: created.scopes } },
      });
      return created;
    });
    return { apiKey, key };
  }

  list(actor: Actor, query: PageQueryDto): Promise<Page<ApiKey>> {
    return this.apiKeys.page(actor.tenantId, query);
  }

  async get(actor: Actor, id: string): Promise<ApiKey> {
    const apiKey = await this.apiKeys.findInTenant(actor.tenantId, id);
    if (!apiKey) throw new NotFound('API key');
    return apiKey;
  }

  /** Revoked keys stop working at once. Revoking twice is fine. */
  async revoke(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const apiKey = await this.apiKeys.lockInTenant(manager, actor.tenantId, id);
      if (!apiKey) throw new NotFound('API key');
      assertVersion(expectedVersion, apiKey.version);
      if (apiKey.revokedAt) return;
      apiKey.revokedAt = new Date();
      await manager.save(apiKey);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'api_key.revoked',
        subject: API_KEY,
        id: apiKey.id,
      });
    });
  }

  /** The actor behind an `X-API-Key` header. */
  /** Who the key is, when it exists and is neither revoked nor expired; else 401. */
  async principalOf(key: string): Promise<ApiKeyPrincipal> {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH)
      throw new Unauthenticated('invalid_api_key');
    const apiKey = await this.apiKeys.findBySecretHash(sha256(key));
    if (!apiKey || apiKey.revokedAt || isExpired(apiKey))
      throw new Unauthenticated('invalid_api_key');
    const { id, tenantId, scopes, expiresAt } = apiKey;
    return { id, tenantId, scopes, expiresAt };
  }

  /** The principal as an actor of this request, unless it expired since it was looked up. */
  actorOf(principal: ApiKeyPrincipal, origin: Origin): Actor {
    if (isExpired(principal)) throw new Unauthenticated('invalid_api_key');
    const { id, tenantId, scopes } = principal;
    return { kind: 'api_key', id, tenantId, scopes, origin };
  }

  /** Records that the key was used (at most once a minute, see the repository). */
  touch(principal: ApiKeyPrincipal): Promise<void> {
    return this.apiKeys.touch(principal.id);
  }
}
