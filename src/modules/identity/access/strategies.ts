import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy as LocalStrategyBase } from 'passport-local';
import type { AppConfig } from '../../../config/app-config.js';
import { ApiKeysService } from '../api-keys.service.js';
import { sha256 } from '../secrets.js';
import { PrincipalCache } from './principal-cache.js';
import { AuthService, type VerifiedAccount } from '../auth.service.js';
import { TokenService } from '../tokens.service.js';
import { originOf, type Actor } from './actor.js';

/** Algorithms an access token may be signed with; anything else (including `none`) is refused. */
export const ACCESS_TOKEN_ALGORITHMS = ['HS256'] as const;

const keys = new WeakMap<AppConfig, KeyObject>();

/**
 * JWT_SECRET as a key object, built once per configuration. Handed the
 * string, the JWT library tries it as a public key on every token, fails,
 * and only then builds a secret key: about 0.3 ms of CPU per request
 * (issue 21).
 */
export function accessTokenKey(config: AppConfig): KeyObject {
  let key = keys.get(config);
  if (!key) {
    key = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
    keys.set(config, key);
  }
  return key;
}

/**
 * `Authorization: Bearer <JWT>`: signature, algorithm, `exp`, `iss` and
 * `aud` checked, then the session. Checked here on every request rather
 * than through passport: its per-request machinery (a strategy object,
 * callbacks and a promise around them) cost a GET a sixth of its CPU and
 * doubled its p99 (issue 21). Password login, once per session, still goes
 * through passport-local (below).
 */
@Injectable()
export class BearerAuthentication {
  constructor(
    private readonly tokens: TokenService,
    private readonly principals: PrincipalCache,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Actor> {
    const claims = this.tokens.verifyBearer(request.headers.authorization);
    const origin = originOf(request);
    const { sub, tid, sid } = claims;
    // Remembered with the first request's origin; each request is its own.
    const principal = await this.principals.remember(`session:${sid}:${sub}:${tid}`, () =>
      this.tokens.actorFor(claims, origin),
    );
    return { ...principal, origin };
  }
}

/** `X-API-Key: <key>` for integrations (checked directly, as bearer tokens are). */
@Injectable()
export class ApiKeyAuthentication {
  /** When each key's use was last recorded by this process. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly principals: PrincipalCache,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Actor> {
    const header = request.headers['x-api-key'];
    const key = typeof header === 'string' ? header : '';
    const principal = await this.principals.remember(`api-key:${sha256(key)}`, () =>
      this.apiKeys.principalOf(key),
    );
    const actor = this.apiKeys.actorOf(principal, originOf(request));
    // Last use is shown to the minute: recording it once a minute per key is enough.
    const now = Date.now();
    if (now - (this.touched.get(principal.id) ?? 0) >= 60_000) {
      this.touched.delete(principal.id);
      if (this.touched.size >= 10_000) this.touched.clear();
      this.touched.set(principal.id, now);
      await this.apiKeys.touch(principal);
    }
    return actor;
  }
}

/** `POST /auth/login { email, password }`. */
@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: FastifyRequest, email: string, password: string): Promise<VerifiedAccount> {
    return this.auth.checkPassword(email, password, originOf(request));
  }
}
