import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import type { Page } from '../../common/pagination/pagination.js';
import { NotFound } from '../../common/problem/domain-error.js';
import { sentFields } from '../../common/validation.js';
import { isUniqueViolation } from '../../database/errors.js';
import { auditActor, type AuditActor } from '../audit/audit.service.js';
import type { Actor } from './access/actor.js';
import type { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto.js';
import { Tenant } from './entities/tenant.entity.js';
import { User } from './entities/user.entity.js';
import { IdentityError } from './identity.errors.js';
import { PasswordHasher } from './passwords.js';
import type { Locale, Role } from './roles.js';
import { TokenService } from './tokens.service.js';
import { UsersRepository } from './users.repository.js';
import { USER } from './identity.subjects.js';
import { Changes, diff } from '../audit/changes.js';

export interface NewUser {
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  password: string;
  locale: Locale;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly changes: Changes,
  ) {}

  list(actor: Actor, query: ListUsersQuery): Promise<Page<User>> {
    return this.users.page(actor.tenantId, query);
  }

  async get(actor: Actor, id: string): Promise<User> {
    const user = await this.users.findInTenant(actor.tenantId, id);
    if (!user) throw new NotFound('user');
    return user;
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<User> {
    if (dto.role === 'owner') assertOwner(actor);
    return this.dataSource.transaction(async (manager) => {
      const locale = dto.locale ?? (await this.tenantLocale(manager, actor.tenantId));
      return this.insert(manager, auditActor(actor), { ...dto, locale, tenantId: actor.tenantId });
    });
  }

  /** Adds a user with a hashed password, refusing a taken email with 409; audited. */
  async insert(manager: EntityManager, by: AuditActor, newUser: NewUser): Promise<User> {
    const user = manager.create(User, {
      tenantId: newUser.tenantId,
      email: newUser.email,
      name: newUser.name,
      role: newUser.role,
      locale: newUser.locale,
      passwordHash: await this.passwords.hash(newUser.password),
    });
    try {
      await manager.save(user);
    } catch (error) {
      if (isUniqueViolation(error, 'UQ_users_email')) throw new IdentityError('email_taken');
      throw error;
    }
    await this.changes.record(manager, by, {
      tenantId: user.tenantId,
      action: 'user.created',
      subject: USER,
      id: user.id,
      changes: { role: { before: null, after: user.role } },
    });
    return user;
  }

  update(actor: Actor, id: string, dto: UpdateUserDto, expectedVersion?: number): Promise<User> {
    return this.change(actor, id, expectedVersion, async (manager, user) => {
      const changes = diff(user, dto);
      if (!changes) return user;
      if (user.role === 'owner' || dto.role === 'owner') {
        await this.assertOwnersRemain(manager, actor, user, changes.role !== undefined);
      }
      Object.assign(user, sentFields(dto));
      await manager.save(user);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: user.tenantId,
        action: changes.role ? 'user.role_changed' : 'user.updated',
        subject: USER,
        id: user.id,
        changes,
      });
      return user;
    });
  }

  /** Deactivated users cannot sign in, and their sessions end at once. Deactivating twice is fine. */
  deactivate(actor: Actor, id: string, expectedVersion?: number): Promise<User> {
    return this.change(actor, id, expectedVersion, async (manager, user) => {
      if (!user.active) return user;
      if (user.role === 'owner') await this.assertOwnersRemain(manager, actor, user, true);
      user.active = false;
      await manager.save(user);
      await this.tokens.endSessionsOf(manager, user.id, 'user_deactivated');
      await this.changes.record(manager, auditActor(actor), {
        tenantId: user.tenantId,
        action: 'user.deactivated',
        subject: USER,
        id: user.id,
        changes: { active: { before: true, after: false } },
      });
      return user;
    });
  }

  reactivate(actor: Actor, id: string, expectedVersion?: number): Promise<User> {
    return this.change(actor, id, expectedVersion, async (manager, user) => {
      if (user.active) return user;
      if (user.role === 'owner') assertOwner(actor);
      user.active = true;
      await manager.save(user);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: user.tenantId,
        action: 'user.reactivated',
        subject: USER,
        id: user.id,
        changes: { active: { before: false, after: true } },
      });
      return user;
    });
  }

  /** Locks the user (404 across tenants), checks If-Match, and applies `apply` in one transaction. */
  private change(
    actor: Actor,
    id: string,
    expectedVersion: number | undefined,
    apply: (manager: EntityManager, user: User) => Promise<User>,
  ): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.lockInTenant(manager, actor.tenantId, id);
      if (!user) throw new NotFound('user');
      assertVersion(expectedVersion, user.version);
      return apply(manager, user);
    });
  }

  /** Only owners touch owners, and the last active owner stays one. */
  private async assertOwnersRemain(
    manager: EntityManager,
    actor: Actor,
    user: User,
    removesAnOwner: boolean,
  ): Promise<void> {
    assertOwner(actor);
    if (!removesAnOwner || user.role !== 'owner' || !user.active) return;
    await this.users.lockOwners(manager, user.tenantId);
    if ((await this.users.countActiveOwners(manager, user.tenantId)) <= 1) {
      throw new IdentityError('last_owner');
    }
  }

  private async tenantLocale(manager: EntityManager, tenantId: string): Promise<Locale> {
    return (await manager.findOneByOrFail(Tenant, { id: tenantId })).defaultLocale;
  }
}

function assertOwner(actor: Actor): void {
  if (actor.kind !== 'user' || actor.role !== 'owner') throw new IdentityError('owner_required');
}
