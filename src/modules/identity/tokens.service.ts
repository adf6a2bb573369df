import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUUID } from 'class-validator';
import { DataSource, IsNull, Not, type EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import type { Actor, Origin } from './access/actor.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { Session, type SessionEndReason } from './entities/session.entity.js';
import { User } from './entities/user.entity.js';
import { Unauthenticated, type UnauthenticatedCode } from './identity.errors.js';
import { newSecret, sha256 } from './secrets.js';
import { USER } from './identity.subjects.js';
import { Changes } from '../audit/changes.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: 'Bearer';
}

/** What an access token says about its holder, besides iss/aud/iat/exp. */
export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Tenant id. */
  tid: string;
  /** Session id: revoking the session ends the token at once. */
  sid: string;
}

/** What a verified access token says: our claims, as far as present, and its expiry (seconds). */
type VerifiedClaims = Partial<AccessClaims> & { exp?: number };
/** A verified token's claims as remembered: only tokens that expire are. */
type RememberedClaims = Readonly<VerifiedClaims & { exp: number }>;

const isId = (value: unknown): value is string => typeof value === 'string' && isUUID(value);

const REFRESH_TOKEN_PREFIX = 'ddr_';
/** `Authorization: <scheme> <credentials>`, read as passport-jwt did. */
const AUTHORIZATION = /(\S+)\s+(\S+)/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How many verified access tokens a process remembers (about 1 KB each). */
const VERIFIED_TOKENS = 1_000;

/**
 * Sessions, their access tokens (JWT, short-lived) and refresh tokens
 * (opaque, stored as SHA-256, single use, rotated on every refresh).
 */
@Injectable()
export class TokenService {
  /**
   * Access tokens this process verified, with their claims, until they
   * expire (issue 21): a client sends the same token with every request for
   * its lifetime, and checking its signature again would give the same
   * answer, for about a tenth of a read's CPU. The whole token is the key,
   * signature included, so only a token identical to one verified matches;
   * what can change while it is valid (session ended, user deactivated,
   * role) is checked by `actorFor` on every request. The oldest entry makes
   * way when full.
   */
  private readonly verified = new Map<string, RememberedClaims>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly changes: Changes,
  ) {}

  /** Starts a session for a user who just proved who they are. */
  async startSession(manager: EntityManager, user: User): Promise<TokenPair> {
    const session = manager.create(Session, { userId: user.id });
    await manager.insert(Session, session);
    return this.issue(manager, user, session.id);
  }

  /**
   * Exchanges a refresh token for a new pair. A token presented a second
   * time means it leaked (or the client is confused): its whole session is
   * ended, so neither the thief nor the owner can continue with it.
   */
  async rotate(presented: string, origin: Origin): Promise<TokenPair> {
    const outcome = await this.dataSource.transaction(
      async (manager): Promise<TokenPair | UnauthenticatedCode> => {
        const token = await manager
          .createQueryBuilder(RefreshToken, 'token')
          .innerJoinAndSelect('token.session', 'session')
          .innerJoinAndSelect('session.user', 'user')
          .where('token.token_hash = :hash', { hash: sha256(presented) })
          .setLock('pessimistic_write', undefined, ['token'])
          .getOne();
        const session = token?.session;
        const user = session?.user;
        if (!token || !session || !user || session.revokedAt) return 'invalid_refresh_token';
        if (token.usedAt) {
          await this.endSession(manager, session.id, 'refresh_token_reused');
          await this.changes.record(
            manager,
            { type: 'anonymous', id: null, origin },
            {
              tenantId: user.tenantId,
              action: 'auth.refresh_token_reused',
              subject: USER,
              id: user.id,
            },
          );
          return 'refresh_token_reused';
        }
        if (token.expiresAt.getTime() <= Date.now() || !user.active) return 'invalid_refresh_token';
        await manager.update(RefreshToken, { id: token.id }, { usedAt: new Date() });
        return this.issue(manager, user, session.id);
      },
    );
    if (typeof outcome === 'string') throw new Unauthenticated(outcome);
    return outcome;
  }

  /** Ends the session a refresh token belongs to. Unknown tokens are ignored: signing out twice is fine. */
  async endSessionOf(presented: string, origin: Origin): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const token = await manager.findOne(RefreshToken, {
        where: { tokenHash: sha256(presented) },
        relations: { session: { user: true } },
      });
      const session = token?.session;
      if (!session?.user || session.revokedAt) return;
      await this.endSession(manager, session.id, 'logout');
      await this.changes.record(
        manager,
        { type: 'user', id: session.userId, origin },
        {
          tenantId: session.user.tenantId,
          action: 'auth.logout',
          subject: USER,
          id: session.userId,
        },
      );
    });
  }

  /** Ends every open session of a user (deactivation, password change), optionally but one. */
  async endSessionsOf(
    manager: EntityManager,
    userId: string,
    reason: SessionEndReason,
    keepSessionId?: string,
  ): Promise<void> {
    await manager.update(
      Session,
      { userId, revokedAt: IsNull(), ...(keepSessionId ? { id: Not(keepSessionId) } : {}) },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  /**
   * The claims of the access token in `Authorization: Bearer <JWT>`, its
   * signature, algorithm (HS256 only), `iss`, `aud` and `exp` checked
   * (the JWT module's verify options); else 401 `token_expired` or
   * `invalid_token`.
   */
  verifyBearer(authorization: string | undefined): Partial<AccessClaims> {
    const [, scheme, token] = AUTHORIZATION.exec(authorization ?? '') ?? [];
    if (scheme?.toLowerCase() !== 'bearer') throw new Unauthenticated('invalid_token');
    const known = this.verified.get(token);
    if (known) {
      if (Math.floor(Date.now() / 1000) < known.exp) return known;
      this.verified.delete(token);
    }
    try {
      const claims = Object.freeze(this.jwt.verify<VerifiedClaims>(token));
      // Only tokens that expire (ours always do) are remembered, and only until they do.
      if (typeof claims.exp === 'number') {
        if (this.verified.size >= VERIFIED_TOKENS) {
          this.verified.delete(this.verified.keys().next().value as string);
        }
        this.verified.set(token, claims as RememberedClaims);
      }
      return claims;
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new Unauthenticated(expired ? 'token_expired' : 'invalid_token');
    }
  }

  /**
   * The actor behind a verified access token: one indexed query, which also
   * makes sign-out, deactivation and role changes take effect at once.
   */
  async actorFor(claims: Partial<AccessClaims>, origin: Origin): Promise<Actor> {
    const { sub, tid, sid } = claims;
    if (!isId(sub) || !isId(tid) || !isId(sid)) throw new Unauthenticated('invalid_token');
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .select(['user.id', 'user.tenantId', 'user.role'])
      .innerJoin(
        Session,
        'session',
        'session.id = :sid AND session.user_id = user.id AND session.revoked_at IS NULL',
        { sid },
      )
      .where('user.id = :sub AND user.tenant_id = :tid AND user.active', { sub, tid })
      .getOne();
    if (!user) throw new Unauthenticated('session_ended');
    return {
      kind: 'user',
      id: user.id,
      tenantId: user.tenantId,
      role: user.role,
      sessionId: sid,
      origin,
    };
  }

  private async endSession(
    manager: EntityManager,
    sessionId: string,
    reason: SessionEndReason,
  ): Promise<void> {
    await manager.update(
      Session,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  private async issue(manager: EntityManager, user: User, sessionId: string): Promise<TokenPair> {
    const refreshToken = REFRESH_TOKEN_PREFIX + newSecret();
    await manager.insert(RefreshToken, {
      sessionId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * DAY_MS),
    });
    const claims: AccessClaims = { sub: user.id, tid: user.tenantId, sid: sessionId };
    return {
      accessToken: await this.jwt.signAsync(claims),
      refreshToken,
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      tokenType: 'Bearer',
    };
  }
}
