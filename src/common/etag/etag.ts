import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExtension, ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { documentedParam } from '../openapi.js';
import { PreconditionFailed } from '../problem/domain-error.js';

/**
 * Resources carry an integer `version` (TypeORM @VersionColumn); their ETag
 * is that version, quoted. A PATCH/DELETE with If-Match passes the expected
 * version down so the service can update `WHERE version = :expected`
 * atomically, and answer 412 when nothing matched.
 */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header asks for: undefined when absent or `*`.
 * A header naming no version of ours can never match, so it is a 412.
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(ifMatch);
  if (!match) throw new PreconditionFailed('If-Match must be an ETag this API returned, e.g. "3".');
  return Number(match[1]);
}

/** Throws 412 unless the stored version is the one the client expected. */
export function assertVersion(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) throw new PreconditionFailed();
}

/** What `WithLiveFigures` says to the ETag hooks, in the route's Fastify config. */
export interface EtagRouteConfig {
  liveFigures?: boolean;
}

/**
 * For a resource shown with figures that change without it changing (a
 * trip's seats left and participant counts): its ETag still names the
 * version for If-Match, but If-None-Match never answers 304, so a cached
 * copy is never confirmed with stale figures.
 */
export const WithLiveFigures = () =>
  applyDecorators(
    RouteConfig({ liveFigures: true } satisfies EtagRouteConfig),
    ApiExtension('x-live-figures', true),
  );

const ifMatchVersion = createParamDecorator((_: unknown, context: ExecutionContext) =>
  expectedVersion(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);

/** Injects the version the client's If-Match expects (undefined when it sent none). */
export const IfMatch = () =>
  documentedParam(
    ifMatchVersion(),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'The ETag you read; the change is refused with 412 if the resource has changed since.',
    }),
  );
