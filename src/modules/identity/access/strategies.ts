import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy as CustomStrategy } from 'passport-custom';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { AppConfig } from '../../../config/app-config.js';
import { ApiKeysService } from '../api-keys.service.js';
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

  validate(request: FastifyRequest, claims: Partial<AccessClaims>): Promise<Actor> {
    return this.tokens.actorFor(claims, originOf(request));
  }
}

/** `X-API-Key: <key>` for integrations. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(CustomStrategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  validate(request: FastifyRequest): Promise<Actor> {
    const key = request.headers['x-api-key'];
    return this.apiKeys.actorFor(typeof key === 'string' ? key : '', originOf(request));
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
