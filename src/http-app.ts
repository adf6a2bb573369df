import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import {
  errorCodes as FastifyErrorCodes,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { Logger } from 'nestjs-pino';
import { registerEtags } from './common/etag/etag.hooks.js';
import { REQUEST_ID } from './common/logging.js';
import { securityHeaders } from './common/security-headers.js';
import { DomainError, ValidationFailed } from './common/problem/domain-error.js';
import { toProblem } from './common/problem/problem.js';
import { findUnsafeInput } from './common/unsafe-input.js';
import { normaliseIds } from './common/ids.js';
import { buildOpenApiDocument } from './common/openapi-document.js';
import { ProblemFilter } from './common/problem/problem.filter.js';
import { requestLog } from './common/request-log.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { MetricsService } from './modules/metrics/metrics.service.js';
import { PAGE_FORM_PATHS } from './modules/pages/page-forms.js';
import { Queues } from './queue/queues.js';

export const API_PREFIX = 'api/v1';
const API_PATH = `/${API_PREFIX}/`;
export const BODY_LIMIT_BYTES = 1024 * 1024;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * On every response outside the JSON API: the API docs, health, metrics;
 * the participant pages set a stricter policy of their own.
 */
const DOCUMENT_SECURITY_HEADERS = securityHeaders({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
});

/**
 * On the JSON API's responses, what matters for JSON (as OWASP's REST
 * security cheat sheet lists it): nothing in them may load or frame
 * anything, browsers must not sniff them as another type, nor load them
 * from other sites without CORS. Headers that only mean something for an
 * HTML document are left out: each header is work on every response, 7 of
 * 12 headers about 5 % of a read's CPU (issue 21).
 */
const API_SECURITY_HEADERS = securityHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});

/** Uses the caller's X-Request-Id when it is sane, else a fresh UUID. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  (req as IncomingMessage & { [REQUEST_ID]?: string })[REQUEST_ID] = id;
  return id;
}

/**
 * Errors of Fastify's router, before any route runs (a path segment longer
 * than 100 characters, a URL that does not decode): problem+json like every
 * other error, without echoing the path, which may hold a link token.
 */
function routingProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const { problem } = toProblem(
    tooLong
      ? new DomainError(414, 'uri_too_long', 'A path segment is longer than 100 characters.')
      : new DomainError(400, 'bad_url', 'The URL is not valid.'),
  );
  void reply
    .code(problem.status)
    .header('X-Request-Id', request.id)
    .type('application/problem+json; charset=utf-8')
    .send(problem);
}

/**
 * A request Node's HTTP parser cannot read (a malformed request line, two
 * Content-Lengths, headers over 16 KB, a client too slow to send them):
 * answered on the raw socket, before Fastify or Nest see it, as
 * problem+json all the same.
 */
function unparsableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are larger than 16 KB.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive.']
        : [400, 'bad_request', 'The request is not valid HTTP.'];
  const body = JSON.stringify(toProblem(new DomainError(status, code, detail)).problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Builds the HTTP API exactly as it runs in production, for main.ts, the
 * OpenAPI script and the e2e tests alike. `preview` builds the route table
 * without connecting to anything (for the OpenAPI script).
 */
export async function createApiApp(
  root: Type<unknown> | DynamicModule,
  config: AppConfig,
  { preview = false } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    genReqId: requestId,
    return503OnClosing: true,
    frameworkErrors: routingProblem,
    clientErrorHandler: unparsableRequest,
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    bufferLogs: true,
    preview,
    abortOnError: false,
  });
  if (!preview) app.useLogger(app.get(Logger));

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'health/worker', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      // The participant pages, at the paths our emails have always linked to.
      { path: 'invitations/:token', method: RequestMethod.ALL },
      { path: 'registrations/:token', method: RequestMethod.ALL },
      { path: 'registrations/:token/cancel', method: RequestMethod.ALL },
      { path: 'itineraries/:token', method: RequestMethod.ALL },
      { path: 'trips/:publicId/register', method: RequestMethod.ALL },
      { path: 'assets/pages.css', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());

  // Only for the origins configured: without any, no browser page of another
  // origin may call the API, and no response needs CORS headers.
  if (config.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: config.CORS_ORIGINS,
      credentials: false,
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After', 'Idempotent-Replayed', 'Location'],
      maxAge: 600,
    });
  }

  const fastify = app.getHttpAdapter().getInstance();
  // Hooks are plain callbacks, not async functions (each promise is work on
  // every request), and as few as can be: each is a step of every request (issue 21).
  // Responses finishing during shutdown close their keep-alive connection;
  // otherwise it would sit idle and hold the process open.
  let draining = false;
  fastify.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  // On send, not on request: answers given before any route runs (a CORS
  // preflight, Fastify's own errors) carry them too.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    // On the raw response (as helmet itself does); headers a route sets win.
    const security = request.url.startsWith(API_PATH)
      ? API_SECURITY_HEADERS
      : DOCUMENT_SECURITY_HEADERS;
    for (const [name, value] of security) reply.raw.setHeader(name, value);
    void reply.header('X-Request-Id', request.id);
    if (draining) void reply.header('Connection', 'close');
    // A 304 (see registerEtags) carries no body, and so no Content-Length.
    done(null, reply.statusCode === 304 ? null : payload);
  });
  registerEtags(fastify);
  // At the edge, before guards (login reads its body there), pipes and
  // services: input the rest of the stack must never see is refused, and
  // ids get one spelling.
  fastify.addHook('preValidation', (request, _reply, done) => {
    // Forms (parsed by Nest's adapter) are for the participant pages; the API takes JSON.
    const type = request.headers['content-type'];
    if (
      type?.startsWith('application/x-www-form-urlencoded') &&
      !PAGE_FORM_PATHS.test(request.url)
    ) {
      return done(new FastifyErrorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(type));
    }
    const problem =
      findUnsafeInput(request.params) ??
      findUnsafeInput(request.query) ??
      findUnsafeInput(request.body);
    if (problem) return done(new ValidationFailed([problem]));
    normaliseIds(request.params);
    normaliseIds(request.query);
    normaliseIds(request.body);
    done();
  });
  if (!preview) {
    // One hook for what is recorded of every answer: its log line and its metrics.
    const metrics = app.get(MetricsService);
    const log = requestLog();
    fastify.addHook('onResponse', (request, reply, done) => {
      log(request, reply);
      metrics.observeRequest(
        request.method,
        request.routeOptions.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
  }

  if (!preview && config.QUEUE_DASHBOARD_CREDENTIALS) {
    // Loaded only when the dashboard is on: bull-board, its views and their
    // dependencies weigh ~5 MB of memory (issue 21).
    const { registerQueueDashboard } = await import('./queue/queue-dashboard.js');
    await registerQueueDashboard(
      fastify,
      await app.get(Queues).all(),
      config.QUEUE_DASHBOARD_CREDENTIALS,
    );
  }

  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
    customSiteTitle: 'Delegation Desk API',
  });
  return app;
}
