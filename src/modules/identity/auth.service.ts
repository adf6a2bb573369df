import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationFailed } from '../../common/problem/domain-error.js';
import { auditActor } from '../audit/audit.service.js';
import type { Origin, UserActor } from './access/actor.js';
import type { ChangePasswordDto, SignupDto } from './dto/auth.dto.js';
import type { Tenant } from './entities/tenant.entity.js';
import { User } from './entities/user.entity.js';
import { Unauthenticated } from './identity.errors.js';
import { PasswordHasher } from './passwords.js';
import { RateLimits } from './rate-limits.js';
import { TenantsService } from './tenants.service.js';
import { TokenService, type TokenPair } from './tokens.service.js';
import { UsersRepository } from './users.repository.js';
import { USER } from './identity.subjects.js';
import { Changes } from '../audit/changes.js';

/** What passport-local hands to the login route: whose password was right, and which hash it matched. */
export interface VerifiedAccount {
  userId: string;
  verifiedHash: string;
  /** A hash with today's argon2 settings, when the stored one is weaker. */
  upgradedHash: string | null;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsService,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly rateLimits: RateLimits,
    private readonly changes: Changes,
  ) {}

  async signup(dto: SignupDto, origin: Origin): Promise<TokenPair> {
    await this.rateLimits.signup(origin.ip);
    return this.dataSource.transaction(async (manager) => {
      const { owner } = await this.tenants.createWithOwner(
        manager,
        { type: 'anonymous', id: null, origin },
        dto,
      );
      return this.tokens.startSession(manager, owner);
    });
  }

  /**
   * The password check behind passport-local. Rate-limited per account and
   * per IP before any work; unknown emails, wrong passwords and deactivated
   * users all get the same answer after the same work.
   */
  async checkPassword(email: string, password: string, origin: Origin): Promise<VerifiedAccount> {
    await this.rateLimits.passwordAttempt(email, origin.ip);
    const user = await this.users.findByEmail(email);
    const valid = await this.passwords.verify(user?.passwordHash ?? null, password);
    if (!user || !valid || !user.active) {
      if (user) {
        await this.changes.record(
          this.dataSource.manager,
          { type: 'anonymous', id: null, origin },
          {
            tenantId: user.tenantId,
            action: 'auth.login_failed',
            subject: USER,
            id: user.id,
          },
        );
      }
      throw new Unauthenticated('invalid_credentials');
    }
    await this.rateLimits.passwordAccepted(email, origin.ip);
    const upgradedHash = this.passwords.needsRehash(user.passwordHash)
      ? await this.passwords.hash(password)
      : null;
    return { userId: user.id, verifiedHash: user.passwordHash, upgradedHash };
  }

  /**
   * After passport-local accepted the password: a new session. The user is
   * locked and checked again, so a login racing a password change or a
   * deactivation cannot outlive it (nor write an old hash back).
   */
  login(account: VerifiedAccount, origin: Origin): Promise<TokenPair> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.lockById(manager, account.userId);
      if (!user?.active || user.passwordHash !== account.verifiedHash) {
        throw new Unauthenticated('invalid_credentials');
      }
      // Raw on purpose: signing in is not an edit, so version and updated_at stay.
      await manager.query(
        'UPDATE users SET last_login_at = now(), password_hash = $2 WHERE id = $1',
        [user.id, account.upgradedHash ?? user.passwordHash],
      );
      await this.changes.record(
        manager,
        { type: 'user', id: user.id, origin },
        {
          tenantId: user.tenantId,
          action: 'auth.login_succeeded',
          subject: USER,
          id: user.id,
        },
      );
      return this.tokens.startSession(manager, user);
    });
  }

  async refresh(refreshToken: string, origin: Origin): Promise<TokenPair> {
    await this.rateLimits.refresh(origin.ip);
    return this.tokens.rotate(refreshToken, origin);
  }

  logout(refreshToken: string, origin: Origin): Promise<void> {
    return this.tokens.endSessionOf(refreshToken, origin);
  }

  async me(actor: UserActor): Promise<User & { tenant: Tenant }> {
    const user = await this.users.findWithTenant(actor.tenantId, actor.id);
    if (!user?.tenant) throw new Unauthenticated('session_ended');
    return user as User & { tenant: Tenant };
  }

  /** Changes one's own password and ends one's other sessions. */
  async changePassword(actor: UserActor, dto: ChangePasswordDto): Promise<void> {
    const user = await this.users.findInTenant(actor.tenantId, actor.id);
    if (!user) throw new Unauthenticated('session_ended');
    await this.rateLimits.passwordAttempt(user.email, actor.origin.ip);
    if (!(await this.passwords.verify(user.passwordHash, dto.currentPassword))) {
      throw new ValidationFailed([
        { field: 'currentPassword', message: 'is not your current password' },
      ]);
    }
    await this.rateLimits.passwordAccepted(user.email, actor.origin.ip);
    const passwordHash = await this.passwords.hash(dto.newPassword);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(User, { id: user.id, tenantId: actor.tenantId }, { passwordHash });
      await this.tokens.endSessionsOf(manager, user.id, 'password_changed', actor.sessionId);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'user.password_changed',
        subject: USER,
        id: user.id,
      });
    });
  }
}
