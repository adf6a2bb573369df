import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../../config/app-config.js';
import { AccessGuard } from './access/access.guard.js';
import {
  ACCESS_TOKEN_ALGORITHMS,
  accessTokenKey,
  ApiKeyAuthentication,
  BearerAuthentication,
  LocalStrategy,
} from './access/strategies.js';
import { PrincipalCache } from './access/principal-cache.js';
import { RouteAccessCheck } from './access/route-access.check.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthController, MeController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { IdentityPersonalData } from './identity.personal-data.js';
import { PasswordHasher } from './passwords.js';
import { RateLimits } from './rate-limits.js';
import { TenantController } from './tenant.controller.js';
import { TenantsService } from './tenants.service.js';
import { TokenService } from './tokens.service.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

export const jwtModule = JwtModule.registerAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    // Signed and verified with the key built once (see accessTokenKey), not the string.
    privateKey: accessTokenKey(config),
    publicKey: accessTokenKey(config),
    signOptions: {
      algorithm: ACCESS_TOKEN_ALGORITHMS[0],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
    },
    // Anything but HS256 (`none` included) is refused; `exp` is always checked.
    verifyOptions: {
      algorithms: [...ACCESS_TOKEN_ALGORITHMS],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    },
  }),
});

export const IDENTITY_SERVICES = [
  PasswordHasher,
  RateLimits,
  TokenService,
  UsersRepository,
  UsersService,
  TenantsService,
  AuthService,
  ApiKeysRepository,
  ApiKeysService,
];

/** Tenants, staff, sign-in, API keys and the global access guard for the HTTP API. */
@Module({
  imports: [PassportModule, jwtModule, DiscoveryModule],
  controllers: [AuthController, MeController, TenantController, UsersController, ApiKeysController],
  providers: [
    ...IDENTITY_SERVICES,
    PrincipalCache,
    BearerAuthentication,
    ApiKeyAuthentication,
    LocalStrategy,
    RouteAccessCheck,
    IdentityPersonalData,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: IDENTITY_SERVICES,
})
export class IdentityModule {}
