import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_EXTENSION } from './idempotency/idempotency.interceptor.js';
import { problemResponse } from './openapi.js';

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description:
    'Makes a retry safe: the same key with the same body replays the first response (24 h); another body is 422, a concurrent duplicate 409.',
  schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
};

export const API_KEY_SCHEME = 'apiKey';
export const BEARER_SCHEME = 'bearer';

/** The OpenAPI contract, built from the controllers and DTOs (see `npm run openapi`). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Delegation Desk API')
    .setDescription(
      'Back office for trade-promotion agencies running business delegation trips. ' +
        'Errors are RFC 9457 problem+json; lists use cursor pagination; POSTs honour Idempotency-Key.',
    )
    .setVersion('1')
    .setLicense('Proprietary', 'https://delegation-desk.example/license')
    .addServer('/', 'This installation (paths are relative to where this document is served)')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Staff access token' },
      BEARER_SCHEME,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Integration API key' },
      API_KEY_SCHEME,
    )
    .addSecurityRequirements(BEARER_SCHEME)
    .addSecurityRequirements(API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      lowerFirst(controllerKey.replace(/Controller$/, '')) + upperFirst(methodKey),
  });
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (!operation) continue;
      // Any operation can fail unexpectedly; said once here instead of on every route.
      operation.responses['500'] ??= problemResponse(500);
      // The idempotency interceptor is global: every POST takes the header, unless marked.
      if (method === 'post' && !(IDEMPOTENCY_EXTENSION in operation)) {
        operation.parameters = [...(operation.parameters ?? []), IDEMPOTENCY_KEY_HEADER];
      }
    }
  }
  return document;
}
