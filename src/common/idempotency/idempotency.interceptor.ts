import {
  applyDecorators,
  HttpStatus,
  Injectable,
  UseInterceptors,
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

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Says, in the OpenAPI document, whether a POST honours Idempotency-Key
 * (`honoured`, see `Idempotent`) or ignores it (`ignored`, see
 * `WithoutIdempotencyKey`). Every POST says one or the other.
 */
export const IDEMPOTENCY_EXTENSION = 'x-idempotency-key';

/**
 * For the few POSTs whose response carries a secret (tokens, a new API
 * key): storing it for replay would keep the secret in the database, so
 * these routes ignore Idempotency-Key and say so in their description.
 */
export const WithoutIdempotencyKey = () => ApiExtension(IDEMPOTENCY_EXTENSION, 'ignored');

/** Who may replay a stored response: the same principal of the same tenant. */
function scopeOf(
  request: FastifyRequest & { user?: { id: string; tenantId?: string; kind?: string } },
) {
  const user = request.user;
  return user ? `${user.tenantId}:${user.kind}:${user.id}` : 'anonymous';
}

/**
 * Honours `Idempotency-Key` on a POST marked `Idempotent`: the first request
 * runs and its response is stored; a retry with the same body gets that
 * response again (with `Idempotent-Replayed: true`), another body gets 422,
 * and a retry while the first still runs gets 409. Failed requests release
 * the key.
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
    if (key === undefined) return next.handle();
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
          // The ETag follows from the body (registerEtags).
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

/**
 * A POST that honours `Idempotency-Key` (every POST of the API but those
 * `WithoutIdempotencyKey`; the OpenAPI contract test holds them to it).
 * Bound to each such route rather than globally, so that reads do not pay
 * for an interceptor they never use (issue 21).
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiExtension(IDEMPOTENCY_EXTENSION, 'honoured'),
  );
