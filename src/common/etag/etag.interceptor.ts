import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { etagOf, LIVE_FIGURES } from './etag.js';

/**
 * Sets `ETag` from the `version` of a returned resource and answers a
 * matching `If-None-Match` with 304 (unless the route shows live figures,
 * see `WithLiveFigures`). Applied globally; responses without a numeric
 * `version` pass untouched.
 */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (typeof version !== 'number') return body;
        const etag = etagOf(version);
        void reply.header('ETag', etag);
        if (
          request.method === 'GET' &&
          !Reflect.getMetadata(LIVE_FIGURES, context.getHandler()) &&
          request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)
        ) {
          void reply.status(304);
          return undefined;
        }
        return body;
      }),
    );
  }
}
