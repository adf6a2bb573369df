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

export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) =>
        (req as IncomingMessage & { [REQUEST_ID]?: string })[REQUEST_ID] ?? '',
      customProps: () => ({ service: 'api' }),
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: maskTokens(req.url),
          remoteAddress: req.remoteAddress,
        }),
      },
    },
  };
}

export const ApiLoggerModule = LoggerModule.forRootAsync({
  inject: [AppConfig],
  useFactory: loggerOptions,
});

/** The worker and CLI log through the same pino setup, without HTTP. */
export const ProcessLoggerModule = LoggerModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig): Params => ({
    pinoHttp: { level: config.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    forRoutes: [],
  }),
});
