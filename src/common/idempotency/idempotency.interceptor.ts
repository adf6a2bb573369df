import {
  applyDecorators,
  HttpStatus,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, of, type Observable } from 'rxjs';
import { AppConfig } from '../../config/app-config.js';
import { ValidationFailed } from '../problem/domain-error.js';
import { IdempotencyService, requestHash } from './idempotency.service.js';
import { createdLocationOf } from '../created.js';
import { lowerCaseUuidsIn } from '../ids.js';
import { etagOf } from '../etag/etag.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const NOT_IDEMPOTENT = 'notIdempotent';

/**
 * For the few POSTs whose response carries a secret (tokens, a new API
 * key): storing it for replay would keep the secret in the database, so
 * these routes ignore Idempotency-Key and say so in their description.
 */
export const WithoutIdempotencyKey = () =>
  applyDecorators(
    SetMetadata(NOT_IDEMPOTENT, true),
    ApiExtension(IDEMPOTENCY_EXTENSION, 'ignored'),
  );

/** Marks, in the OpenAPI document, the POSTs that ignore Idempotency-Key. */
export const IDEMPOTENCY_EXTENSION = 'x-idempotency-key';

/** Who may replay a stored response: the same principal of the same tenant. */
function scopeOf(
  request: FastifyRequest & { user?: { id: string; tenantId?: string; kind?: string } },
) {
  const user = request.user;
  return user ? `${user.tenantId}:${user.kind}:${user.id}` : 'anonymous';
}

/**
 * Honours `Idempotency-Key` on every POST: the first request runs and its
 * response is stored; a retry with the same body gets that response again
 * (with `Idempotent-Replayed: true`), another body gets 422, and a retry
 * while the first still runs gets 409. Failed requests release the key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly hashKey: string;

  constructor(
    private readonly idempotency: IdempotencyService,
    config: AppConfig,
  ) {
    this.hashKey = `idempotency:${config.JWT_SECRET}`;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { user?: { id: string; tenantId?: string; kind?: string } }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (Reflect.getMetadata(NOT_IDEMPOTENT, context.getHandler())) return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new ValidationFailed([
        { field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' },
      ]);
    }

    const scope = scopeOf(request);
    // Ids in the path count in one spelling, as they do in the (normalised) body.
    const url = lowerCaseUuidsIn(request.url);
    const hash = requestHash(this.hashKey, request.method, url, request.body);
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ??
      HttpStatus.CREATED;

    return from(this.idempotency.claim(scope, key, hash)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'replay') {
          // Answered in the route's place: the headers its own interceptors would have set.
          void reply.status(claim.status).header('Idempotent-Replayed', 'true');
          const location = createdLocationOf(context, claim.body);
          if (location) void reply.header('Location', location);
          const version = (claim.body as { version?: unknown } | null)?.version;
          if (typeof version === 'number') void reply.header('ETag', etagOf(version));
          return of(claim.body);
        }
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.idempotency.complete(scope, key, status, body);
            return body;
          }),
          catchError(async (error: unknown) => {
            await this.idempotency.release(scope, key);
            throw error;
          }),
        );
      }),
    );
  }
}
