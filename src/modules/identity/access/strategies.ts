import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy as CustomStrategy } from 'passport-custom';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { AppConfig } from '../../../config/app-config.js';
import { ApiKeysService } from '../api-keys.service.js';
import { sha256 } from '../secrets.js';
import { PrincipalCache } from './principal-cache.js';
import { AuthService, type VerifiedAccount } from '../auth.service.js';
import { TokenService, type AccessClaims } from '../tokens.service.js';
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

/** `Authorization: Bearer <JWT>`: signature, algorithm, `exp`, `iss` and `aud` checked, then the session. */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly tokens: TokenService,
    private readonly principals: PrincipalCache,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands it to jsonwebtoken, which takes a KeyObject; its types say string | Buffer.
      secretOrKey: accessTokenKey(config) as unknown as Buffer,
      algorithms: [...ACCESS_TOKEN_ALGORITHMS],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(request: FastifyRequest, claims: Partial<AccessClaims>): Promise<Actor> {
    const origin = originOf(request);
    const { sub, tid, sid } = claims;
    // Remembered with the first request's origin; each request is its own.
    const principal = await this.principals.remember(`session:${sid}:${sub}:${tid}`, () =>
      this.tokens.actorFor(claims, origin),
    );
    return { ...principal, origin };
  }
}

/** `X-API-Key: <key>` for integrations. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(CustomStrategy, 'api-key') {
  /** When each key's use was last recorded by this process. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly principals: PrincipalCache,
  ) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Actor> {
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
