import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role, Scope } from '../roles.js';

/** Where a request came from, for audit events and rate limits. */
export interface Origin {
  requestId: string;
  ip: string;
}

/**
 * The authenticated principal. Services take it first and scope every query
 * by its `tenantId`: that is the only way tenant ids enter a query.
 */
export type Actor =
  | {
      kind: 'user';
      id: string;
      tenantId: string;
      role: Role;
      sessionId: string;
      origin: Origin;
    }
  | {
      kind: 'api_key';
      id: string;
      tenantId: string;
      scopes: Scope[];
      origin: Origin;
    };

export type UserActor = Extract<Actor, { kind: 'user' }>;

export type AuthenticatedRequest = FastifyRequest & { user?: Actor };

export function originOf(request: FastifyRequest): Origin {
  return { requestId: request.id, ip: request.ip };
}

/** The principal the access guard authenticated. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!actor) throw new Error('CurrentActor used on a route without @Requires');
  return actor;
});

/** Request id and client IP, for public routes that have no actor. */
export const RequestOrigin = createParamDecorator((_: unknown, context: ExecutionContext) =>
  originOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
