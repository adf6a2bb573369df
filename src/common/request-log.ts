import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * What a log line says about a request (as `req`): never its headers or
 * body; the logger's `req` serializer masks the tokens of links in the URL.
 */
export function requestFields(request: FastifyRequest) {
  return { id: request.id, method: request.method, url: request.url, remoteAddress: request.ip };
}

/**
 * One line per answered request ("request completed" with `req`, `res`
 * and `responseTime` in ms, the fields pino-http wrote), for the API's
 * onResponse hook, on the process's one pino logger. pino-http ran as
 * Express-style middleware with a child logger and an async context per
 * request: about a quarter of the API's CPU on a GET (issue 21). A 5xx is
 * an error, a 4xx and 503 (not ready: a state that monitors poll)
 * warnings.
 */
export function requestLog(): (request: FastifyRequest, reply: FastifyReply) => void {
  let requests: Logger | undefined;
  return (request, reply) => {
    const status = reply.statusCode;
    const level = status >= 500 && status !== 503 ? 'error' : status >= 400 ? 'warn' : 'info';
    requests ??= PinoLogger.root.child({ service: 'api' });
    if (requests.isLevelEnabled(level)) {
      requests[level](
        {
          req: requestFields(request),
          res: { statusCode: status },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
  };
}
