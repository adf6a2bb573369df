import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { createRedis, InjectRedis, RedisKeys } from '../../../redis/redis.module.js';
import { Changes, type RecordedChange } from '../../audit/changes.js';
import { API_KEY, USER } from '../identity.subjects.js';

/** Changes of users and keys that cannot take anyone's access away; every other one does. */
const KEEPS_ACCESS = new Set([
  'auth.login_succeeded',
  'auth.login_failed',
  'user.created',
  'api_key.created',
]);

/** Entries kept at most; the oldest go first (a burst of new sessions cannot grow the heap). */
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  tenantId: string;
  expiresAt: number;
}

/**
 * Who a session or an API key is (user, role, scopes), remembered for
 * PRINCIPAL_CACHE_SECONDS so that most requests authenticate without a
 * round trip to PostgreSQL (issue 21).
 *
 * Forgetting is immediate: a change that can take access away (sign-out,
 * deactivation, role or password change, a revoked key: every change of a
 * user or key except sign-ins and creations) forgets the agency's entries
 * in this process when its transaction commits, and tells the installation's
 * other API processes through Redis. A lookup that was already reading
 * the database when that happened is not remembered, so the old answer
 * cannot come back. Should a Redis message be lost, an entry lives at
 * most PRINCIPAL_CACHE_SECONDS.
 */
@Injectable()
export class PrincipalCache
  implements OnModuleInit, OnApplicationShutdown, EntitySubscriberInterface
{
  private readonly logger = new Logger(PrincipalCache.name);
  private readonly entries = new Map<string, Entry<unknown>>();
  /** Bumped by every forgetting: a lookup that started before one is not kept. */
  private generation = 0;
  /** Agencies to forget when each open transaction commits. */
  private readonly pending = new WeakMap<QueryRunner, Set<string>>();
  private readonly channel: string;
  private subscriber?: Redis;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly changes: Changes,
    @InjectRedis() private readonly redis: Redis,
    keys: RedisKeys,
  ) {
    this.channel = keys.key('principals', 'forget');
  }

  async onModuleInit(): Promise<void> {
    this.dataSource.subscribers.push(this);
    for (const subject of [USER, API_KEY]) {
      this.changes.subscribe(subject, (manager, change) => {
        this.onChange(manager, change);
        return Promise.resolve();
      });
    }
    if (this.config.PRINCIPAL_CACHE_SECONDS === 0) return;
    this.subscriber = createRedis(this.config);
    this.subscriber.on('message', (_channel: string, tenantId: string) => this.drop(tenantId));
    this.subscriber.on('error', (error: Error) =>
      this.logger.warn({ err: error }, 'principal cache: Redis subscription interrupted'),
    );
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** The remembered answer for `key`, else `load`'s (remembered unless forgetting happened meanwhile). */
  async remember<T extends { tenantId: string }>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const entry = this.entries.get(key) as Entry<T> | undefined;
    if (entry && entry.expiresAt > now) return entry.value;
    const generation = this.generation;
    const value = await load();
    const ttl = this.config.PRINCIPAL_CACHE_SECONDS * 1000;
    if (ttl > 0 && generation === this.generation) {
      this.entries.delete(key);
      if (this.entries.size >= MAX_ENTRIES) {
        this.entries.delete(this.entries.keys().next().value as string);
      }
      this.entries.set(key, { value, tenantId: value.tenantId, expiresAt: now + ttl });
    }
    return value;
  }

  /**
   * Forgets the agency's principals when the transaction `manager` runs in
   * commits (at once outside one), everywhere.
   */
  forget(manager: EntityManager, tenantId: string): void {
    const runner = manager.queryRunner;
    // Now too: a lookup running until the commit must not be remembered.
    this.drop(tenantId);
    if (!runner?.isTransactionActive) return this.broadcast(tenantId);
    const tenants = this.pending.get(runner) ?? new Set<string>();
    tenants.add(tenantId);
    this.pending.set(runner, tenants);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    const tenants = this.pending.get(queryRunner);
    this.pending.delete(queryRunner);
    for (const tenantId of tenants ?? []) this.broadcast(tenantId);
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    this.pending.delete(queryRunner);
  }

  private onChange(manager: EntityManager, change: RecordedChange): void {
    if (!KEEPS_ACCESS.has(change.action)) this.forget(manager, change.tenantId);
  }

  private broadcast(tenantId: string): void {
    this.drop(tenantId);
    if (this.config.PRINCIPAL_CACHE_SECONDS === 0) return;
    this.redis
      .publish(this.channel, tenantId)
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'principal cache: could not tell the other processes'),
      );
  }

  private drop(tenantId: string): void {
    this.generation++;
    for (const [key, entry] of this.entries) {
      if (entry.tenantId === tenantId) this.entries.delete(key);
    }
  }
}
