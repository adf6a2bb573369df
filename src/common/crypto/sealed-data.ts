import { SetMetadata } from '@nestjs/common';
import type { DiscoveryService, Reflector } from '@nestjs/core';
import {
  MoreThan,
  type DataSource,
  type EntityTarget,
  type FindOptionsOrder,
  type FindOptionsWhere,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { VersionedEntity } from '../../database/versioned.entity.js';
import type { PiiCipher, Sealed } from './pii-cipher.js';

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
 * Seals `sealed` again with the current key in `context` (null when it
 * already is), counting it; when it cannot be opened, notes `what` it is
 * among the failures and answers null. `read` opens it as it was sealed.
 */
export type Reseal = (
  what: string,
  sealed: Sealed,
  context: string,
  read?: () => string,
) => Sealed | null;

/**
 * Re-seals the rows of `entity`: in batches of 500 in the order of its uuid
 * `key`, each batch a transaction of its own with its rows locked (FOR
 * UPDATE), so a change the API makes meanwhile waits or is seen. `change`
 * answers the columns to write for a row (none: nothing to do), given
 * `reseal` and the database's clock; they are written as no change of the
 * row (its version, ETag and updatedAt stay).
 */
export async function resealRows<E extends VersionedEntity>(
  dataSource: DataSource,
  cipher: PiiCipher,
  entity: EntityTarget<E>,
  key: keyof E & string,
  change: (row: E, reseal: Reseal, now: Date) => Partial<E>,
): Promise<Resealed> {
  const result: Resealed = { resealed: 0, failed: [] };
  const reseal: Reseal = (what, sealed, context, read) => {
    try {
      const again = cipher.resealed(sealed, context, read);
      if (again) result.resealed++;
      return again;
    } catch (error) {
      result.failed.push(`${what}: ${(error as Error).message}`);
      return null;
    }
  };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await dataSource.transaction(async (manager) => {
      const batch = await manager.find(entity, {
        where: { [key]: MoreThan(after) } as FindOptionsWhere<E>,
        order: { [key]: 'ASC' } as FindOptionsOrder<E>,
        take: BATCH,
        lock: { mode: 'pessimistic_write' },
      });
      const [{ now }] = await manager.query<[{ now: Date }]>('SELECT now() AS now');
      for (const row of batch) {
        const columns = change(row, reseal, now);
        if (Object.keys(columns).length === 0) continue;
        await manager.update(entity, { [key]: row[key] }, {
          ...columns,
          version: row.version,
          updatedAt: row.updatedAt,
        } as QueryDeepPartialEntity<E>);
      }
      return batch;
    });
    if (rows.length < BATCH) return result;
    after = rows[rows.length - 1][key] as string;
  }
}
