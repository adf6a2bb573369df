import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';

/** Secrets and personal data that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passportNumber',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.apiKey',
  '*.email',
  '*.phone',
  // Failed queries (TypeORM's QueryFailedError) carry their parameters, and
  // PostgreSQL's detail repeats offending values ("Key (email)=(...)").
  'err.parameters',
  'err.detail',
  'err.driverError.detail',
];

/** Signed links carry their token in the path; logs keep only the route. */
export function maskTokens(url: string): string {
  return url
    .replace(/(\/public\/(?:invitations|registrations|itineraries)\/)[^/?]+/g, '$1[token]')
    .replace(/\?.*$/, (query) => (query.length > 1 ? '?[query]' : ''));
}

/** Where the request id (from X-Request-Id or generated) is kept on the raw request. */
export const REQUEST_ID = Symbol('requestId');

/**
 * The one logger configuration of every process (API, worker, CLI, and both
 * in one process under `npm start`). nestjs-pino keeps a single pino-http
 * instance per process, built by whichever application asks first, so the
 * options must not differ between entry points: a worker-flavoured copy
 * without the serializers once logged every header and full URLs under
 * `npm start`. Only its logger is used: requests are logged by a Fastify
 * hook (request-log.ts), not by its middleware (no routes).
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    forRoutes: [],
    pinoHttp: {
      level: config.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) =>
        (req as IncomingMessage & { [REQUEST_ID]?: string })[REQUEST_ID] ?? '',
      customProps: () => ({ service: 'api' }),
      // 503 is a state (not ready: a worker is down), polled by monitors: a warning, not an error.
      customLogLevel: (_req, res, error) =>
        res.statusCode === 503
          ? 'warn'
          : error || res.statusCode >= 500
            ? 'error'
            : res.statusCode >= 400
              ? 'warn'
              : 'info',
      // Our serializers as they are: what is logged as `req` is requestFields(), not Node's request.
      wrapSerializers: false,
      serializers: {
        // Only these: headers (credentials, cookies, a Location with a token) and bodies never reach a log line.
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: maskTokens(req.url),
          remoteAddress: req.remoteAddress,
        }),
        // Response headers can carry a token (the Location of a registration): only the status.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/** Imported by the API, the worker and the CLI alike. */
export const LoggingModule = LoggerModule.forRootAsync({
  inject: [AppConfig],
  useFactory: loggerOptions,
});
