import type { EntityManager, EntityTarget, FindOptionsWhere } from 'typeorm';
import { assertVersion } from '../common/etag/etag.js';
import { NotFound } from '../common/problem/domain-error.js';

interface TenantRow {
  id: string;
  tenantId: string;
  version: number;
}

/**
 * Locks one of a tenant's rows for a read-modify-write: 404 when it does not
 * exist or belongs to another tenant (the same answer), 412 when the
 * client's If-Match names another version.
 */
export async function lockForChange<E extends TenantRow>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  tenantId: string,
  id: string,
  expectedVersion: number | undefined,
  what: string,
): Promise<E> {
  const row = await manager.findOne(entity, {
    where: { tenantId, id } as FindOptionsWhere<E>,
    lock: { mode: 'pessimistic_write' },
  });
  if (!row) throw new NotFound(what);
  assertVersion(expectedVersion, row.version);
  return row;
}
