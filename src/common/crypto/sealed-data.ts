import { SetMetadata } from '@nestjs/common';
import type { DiscoveryService, Reflector } from '@nestjs/core';
import {
  MoreThan,
  type DataSource,
  type EntityManager,
  type EntityTarget,
  type FindOptionsOrder,
  type FindOptionsWhere,
  type ObjectLiteral,
} from 'typeorm';

/** What re-sealing one module's data did. */
export interface Resealed {
  resealed: number;
  /** Those that could not be opened and were left as they are, each described for the operator. */
  failed: string[];
}

/**
 * Data a module keeps sealed with PII_ENCRYPTION_KEYS (PiiCipher). After a
 * new key is put first, `npm run cli -- reencrypt` asks every keeper to seal
 * again with it whatever an older key sealed, so the old key can be removed.
 * Safe to run again or while the API runs: rows are re-sealed in batches,
 * locked, and re-sealing is no change of theirs (version and ETag stay).
 */
export interface SealedData {
  /** What it keeps, counted for the operator: "travel document(s)". */
  readonly what: string;
  resealAll(): Promise<Resealed>;
}

const SEALED_DATA = Symbol('SEALED_DATA');

/** Marks a provider as a keeper of sealed data; `reencrypt` finds it. */
export const KeepsSealedData = () => SetMetadata(SEALED_DATA, true);

/** Every keeper of sealed data among the application's providers. */
export function sealedDataKeepers(discovery: DiscoveryService, reflector: Reflector): SealedData[] {
  return discovery
    .getProviders()
    .filter((wrapper) => wrapper.metatype && reflector.get(SEALED_DATA, wrapper.metatype))
    .map((wrapper) => wrapper.instance as SealedData);
}

const BATCH = 500;

/**
 * Hands every row of `entity` to `handle`, in batches of 500 in the order
 * of its uuid `key`, each batch in a transaction of its own with its rows
 * locked (FOR UPDATE), so a change the API makes meanwhile waits or is seen.
 */
export async function inLockedBatches<E extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<E>,
  key: keyof E & string,
  handle: (manager: EntityManager, rows: E[]) => Promise<void>,
): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await dataSource.transaction(async (manager) => {
      const batch = await manager.find(entity, {
        where: { [key]: MoreThan(after) } as FindOptionsWhere<E>,
        order: { [key]: 'ASC' } as FindOptionsOrder<E>,
        take: BATCH,
        lock: { mode: 'pessimistic_write' },
      });
      await handle(manager, batch);
      return batch;
    });
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1][key];
  }
}
