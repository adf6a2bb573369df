import {
  applyDecorators,
  HttpCode,
  HttpStatus,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';

const CREATED = 'created';

export interface CreatedOptions {
  /**
   * Where the new resource lives, when not at the request's path + `/` +
   * the returned `id`: a URI reference resolved against the request's path
   * the way a client resolves a relative `Location` (RFC 3986), with
   * `{field}` replaced by that field of the response body. From
   * `/api/v1/auth/signup`, `../tenant` is `/api/v1/tenant`.
   */
  location?: string;
  /** The 201 response's description. */
  description?: string;
}

/**
 * A create operation answering `type`: 201 with `Location` set to the URL
 * of what it created (by default the request's path + `/` + the returned
 * `id`, e.g. `POST /api/v1/trips/{id}/stations` →
 * `/api/v1/trips/{id}/stations/{stationId}`), both documented in OpenAPI.
 * `type` is named here because this 201 entry replaces the one the Swagger
 * plugin infers from the return type.
 */
export function Created(
  type: Type<unknown>,
  { location, description = 'Created; `Location` is its URL.' }: CreatedOptions = {},
) {
  return applyDecorators(
    HttpCode(HttpStatus.CREATED),
    SetMetadata(CREATED, { location }),
    UseInterceptors(new LocationInterceptor()),
    ApiResponse({
      status: HttpStatus.CREATED,
      type,
      description,
      headers: {
        Location: {
          description: 'Path of the created resource; a GET there returns it.',
          required: true,
          schema: { type: 'string', format: 'uri-reference' },
        },
      },
    }),
  );
}

/** Sets `Location` on the answer of a `@Created()` route, from its route and the returned body. */
class LocationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const location = createdLocationOf(context, body);
        if (location) void reply.header('Location', location);
        return body;
      }),
    );
  }
}

/**
 * The `Location` of what a `@Created()` route created, given the body it
 * answers with; undefined for other routes. Also for whoever answers in the
 * route's place (a replayed Idempotency-Key response).
 */
export function createdLocationOf(context: ExecutionContext, body: unknown): string | undefined {
  const created = Reflect.getMetadata(CREATED, context.getHandler()) as
    Pick<CreatedOptions, 'location'> | undefined;
  if (!created) return undefined;
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return createdLocation(requestPath(request), created.location, body);
}

/**
 * The `Location` of a created resource: `path/{id}`, or `reference`
 * resolved against `path`. Undefined when the body lacks a field it needs:
 * the resource exists by now, so a missing header is better than a 500.
 */
function createdLocation(
  path: string,
  reference: string | undefined,
  body: unknown,
): string | undefined {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  let complete = true;
  const filled = (reference ?? `${path.replace(/\/+$/, '')}/{id}`).replace(
    /\{(\w+)\}/g,
    (_, name: string) => {
      const value = fields[name];
      if (typeof value !== 'string' && typeof value !== 'number') complete = false;
      return encodeURIComponent(String(value));
    },
  );
  return complete ? new URL(filled, `http://host${path}`).pathname : undefined;
}

/** The path the route was called at, from its template (so no query, no doubled slashes). */
function requestPath(request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const template = request.routeOptions.url ?? request.url.split('?')[0];
  return template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
