import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import { slugify } from '../../common/slug.js';
import { sentFields } from '../../common/validation.js';
import { auditActor, type AuditActor } from '../audit/audit.service.js';
import type { Actor } from './access/actor.js';
import type { UpdateTenantDto } from './dto/user.dto.js';
import { Tenant } from './entities/tenant.entity.js';
import type { User } from './entities/user.entity.js';
import { UsersService } from './users.service.js';
import { TENANT } from './identity.subjects.js';
import { Changes, diff } from '../audit/changes.js';

export interface NewTenant {
  tenantName: string;
  name: string;
  email: string;
  password: string;
}

@Injectable()
export class TenantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly changes: Changes,
  ) {}

  /** A new agency and its first owner, for sign-up and the `create-tenant` command. */
  async createWithOwner(
    manager: EntityManager,
    by: AuditActor,
    input: NewTenant,
  ): Promise<{ tenant: Tenant; owner: User }> {
    const tenant = await this.insertWithFreeSlug(manager, input.tenantName);
    await this.changes.record(manager, by, {
      tenantId: tenant.id,
      action: 'tenant.created',
      subject: TENANT,
      id: tenant.id,
    });
    const owner = await this.users.insert(manager, by, {
      tenantId: tenant.id,
      email: input.email,
      name: input.name,
      role: 'owner',
      password: input.password,
      locale: tenant.defaultLocale,
    });
    return { tenant, owner };
  }

  async get(actor: Actor): Promise<Tenant> {
    return this.dataSource.getRepository(Tenant).findOneByOrFail({ id: actor.tenantId });
  }

  /** The agency's own settings; audited with what changed. */
  async update(actor: Actor, dto: UpdateTenantDto, expectedVersion?: number): Promise<Tenant> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOneOrFail(Tenant, {
        where: { id: actor.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      assertVersion(expectedVersion, tenant.version);
      const changes = diff(tenant, sentFields(dto));
      if (!changes) return tenant;
      Object.assign(tenant, sentFields(dto));
      await manager.save(tenant);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: tenant.id,
        action: 'tenant.updated',
        subject: TENANT,
        id: tenant.id,
        changes,
      });
      return tenant;
    });
  }

  /** The name's slug, or the slug with a random suffix when another agency has it. */
  private async insertWithFreeSlug(manager: EntityManager, name: string): Promise<Tenant> {
    const base = slugify(name);
    for (let attempt = 0; ; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${randomBytes(4).toString('hex')}`;
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Tenant)
        .values({ name, slug })
        .orIgnore()
        .returning('*')
        .execute();
      if ((inserted.raw as unknown[]).length > 0) return manager.findOneByOrFail(Tenant, { slug });
    }
  }
}
