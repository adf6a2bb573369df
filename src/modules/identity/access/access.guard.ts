import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from '../../../common/openapi.js';
import { AppConfig } from '../../../config/app-config.js';
import { DomainError } from '../../../common/problem/domain-error.js';
import { validateBody } from '../../../common/validation.js';
import { LoginDto } from '../dto/auth.dto.js';
import { IdentityError, Unauthenticated } from '../identity.errors.js';
import type { Actor, AuthenticatedRequest } from './actor.js';
import { ApiKeyAuthentication, BearerAuthentication } from './strategies.js';
import { allows, denialMessage, REQUIRES, type Permission } from './permissions.js';

/**
 * The global guard. Every route is either `@Public()` or declares one
 * `@Requires(permission)`; the caller is authenticated by API key
 * (`X-API-Key`) or access token (`Authorization: Bearer`), then the
 * permission is checked against the policy table.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** What each controller's route handlers declare, read from their metadata once (issue 21). */
  private readonly declared = new WeakMap<object, Map<object, Permission | 'public'>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly bearer: BearerAuthentication,
    private readonly apiKey: ApiKeyAuthentication,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.declaredAccess(context);
    if (permission === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    let actor: Actor;
    if (request.headers['x-api-key'] !== undefined) actor = await this.apiKey.authenticate(request);
    else if (request.headers.authorization !== undefined)
      actor = await this.bearer.authenticate(request);
    else throw new Unauthenticated('authentication_required');
    request.user = actor;
    if (!allows(actor, permission)) {
      throw new DomainError(403, 'forbidden', denialMessage(actor, permission));
    }
    return true;
  }

  private declaredAccess(context: ExecutionContext): Permission | 'public' {
    const [handler, controller] = [context.getHandler(), context.getClass()];
    let handlers = this.declared.get(controller);
    if (!handlers) {
      handlers = new Map<object, Permission | 'public'>();
      this.declared.set(controller, handlers);
    }
    let declared = handlers.get(handler);
    if (declared === undefined) {
      const targets = [handler, controller];
      const permission = this.reflector.getAllAndOverride<Permission | undefined>(
        REQUIRES,
        targets,
      );
      if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) declared = 'public';
      else if (permission) declared = permission;
      else throw new Error(`${controller.name}.${handler.name} declares no access`);
      handlers.set(handler, declared);
    }
    return declared;
  }
}

/**
 * Runs passport-local for `POST /auth/login`, after checking the body's
 * shape: guards run before pipes, and a malformed body deserves a 400, not
 * a failed (and rate-limited) login.
 */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // passport-local reads the body: give it the validated, trimmed one.
    request.body = validateBody(LoginDto, request.body);
    return (await super.canActivate(context)) as boolean;
  }

  /** The account lands on `request.account`: it is not yet an actor (no session). */
  override getAuthenticateOptions() {
    return { property: 'account', session: false };
  }

  override handleRequest<T>(error: Error | null, user: T): T {
    if (error) throw error;
    if (!user) throw new Unauthenticated('invalid_credentials');
    return user;
  }
}

/** Answers 403 before the body is even validated when sign-up is switched off. */
@Injectable()
export class SignupEnabledGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.SIGNUP_ENABLED) throw new IdentityError('signup_disabled');
    return true;
  }
}
