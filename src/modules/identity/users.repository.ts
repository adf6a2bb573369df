import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page } from '../../common/pagination/pagination.js';
import type { ListUsersQuery } from './dto/user.dto.js';
import { Tenant } from './entities/tenant.entity.js';
import { User } from './entities/user.entity.js';

/** Every query is scoped by tenant, except the sign-in lookup by (service-wide unique) email. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ email });
  }

  findInTenant(tenantId: string, id: string, manager = this.dataSource.manager) {
    return manager.findOneBy(User, { tenantId, id });
  }

  /** One statement (`findOne` with a relation reads the ids first, then the rows: two). */
  findWithTenant(tenantId: string, id: string): Promise<User | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.tenant', 'tenant')
      .where('user.tenant_id = :tenantId AND user.id = :id', { tenantId, id })
      .getOne();
  }

  /** For sign-in, which has no tenant yet: the id comes from the service-wide email lookup. */
  lockById(manager: EntityManager, id: string): Promise<User | null> {
    return manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Locks the user for a read-modify-write inside `manager`'s transaction. */
  lockInTenant(manager: EntityManager, tenantId: string, id: string): Promise<User | null> {
    return manager.findOne(User, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Serialises changes to who the owners are: two owners demoting each other
   * at once must not leave the organisation without one.
   */
  async lockOwners(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.findOne(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
  }

  countActiveOwners(manager: EntityManager, tenantId: string): Promise<number> {
    return manager.countBy(User, { tenantId, role: 'owner', active: true });
  }

  /** By name, then id; served by (tenant_id, name, id). */
  page(tenantId: string, query: ListUsersQuery): Promise<Page<User>> {
    const builder = this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .where('user.tenant_id = :tenantId', { tenantId });
    if (query.role) builder.andWhere('user.role = :role', { role: query.role });
    if (query.active !== undefined)
      builder.andWhere('user.active = :active', { active: query.active });
    if (query.updatedSince) {
      builder.andWhere('user.updated_at >= :since', { since: query.updatedSince });
    }
    return keysetPage(builder, {
      keys: [
        { column: 'user.name', property: 'name' },
        { column: 'user.id', property: 'id' },
      ],
      direction: 'ASC',
      query,
    });
  }
}
