import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../problem/domain-error.js';
import { IdempotencyKey } from './idempotency-key.entity.js';

/** Replays are kept this long. */
const RETENTION = '24 hours';
/** A request still "running" after this long is assumed to have died with its process. */
const LEASE = '2 minutes';

export type Claim = { kind: 'claimed' } | { kind: 'replay'; status: number; body: unknown };

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request.',
    );
  }
}

export class IdempotentRequestInProgress extends DomainError {
  constructor() {
    super(
      409,
      'idempotency_request_in_progress',
      'A request with this Idempotency-Key is still being processed; retry shortly.',
    );
  }
}

/**
 * Fingerprint of a request, to tell a retry from another request. Keyed
 * (HMAC), because bodies can hold passwords: a plain SHA-256 in the
 * database would be a fast hash of them.
 */
export function requestHash(key: string, method: string, route: string, body: unknown): string {
  return createHmac('sha256', key)
    .update(`${method} ${route}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` count as the same body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

@Injectable()
export class IdempotencyService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the key for this request in one statement, so two concurrent
   * requests can never both run: a fresh or expired key is (re)taken; a
   * finished one is replayed; a running one is 409; another request 422.
   */
  async claim(scope: string, key: string, hash: string): Promise<Claim> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, locked_until, expires_at)
       VALUES ($1, $2, $3, now() + interval '${LEASE}', now() + interval '${RETENTION}')
       ON CONFLICT (scope, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response_status = NULL, response_body = NULL,
             locked_until = EXCLUDED.locked_until, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at < now()
            OR (idempotency_keys.request_hash = EXCLUDED.request_hash
                AND idempotency_keys.response_status IS NULL AND idempotency_keys.locked_until < now())
       RETURNING key`,
      [scope, key, hash],
    );
    if (claimed.length > 0) return { kind: 'claimed' };

    const existing = await this.dataSource.getRepository(IdempotencyKey).findOneBy({ scope, key });
    if (!existing) return this.claim(scope, key, hash); // expired and purged meanwhile
    if (existing.requestHash !== hash) throw new IdempotencyKeyReused();
    if (existing.responseStatus === null) throw new IdempotentRequestInProgress();
    return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET response_status = $3, response_body = $4::jsonb, locked_until = NULL
       WHERE scope = $1 AND key = $2`,
      [scope, key, status, JSON.stringify(body ?? null)],
    );
  }

  /** The request failed and changed nothing: let the client retry with the same key. */
  async release(scope: string, key: string): Promise<void> {
    await this.dataSource.getRepository(IdempotencyKey).delete({ scope, key });
  }

  /** Drops stored replies that mention `text` (a person erased), in the caller's transaction. */
  async forgetRepliesMentioning(manager: EntityManager, text: string): Promise<void> {
    await manager.query(
      `DELETE FROM idempotency_keys WHERE response_body::text LIKE '%' || $1 || '%'`,
      [text],
    );
  }

  async purgeExpired(): Promise<number> {
    const result = await this.dataSource
      .getRepository(IdempotencyKey)
      .createQueryBuilder()
      .delete()
      .where('expires_at < now()')
      .execute();
    return result.affected ?? 0;
  }
}
