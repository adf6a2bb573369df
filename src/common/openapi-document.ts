import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_EXTENSION } from './idempotency/idempotency.interceptor.js';
import { problemResponse } from './openapi.js';
import { addWebhookEvents } from '../modules/webhooks/webhook-events.openapi.js';

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

/**
 * Every tag, in the order the docs page lists them, with what it covers.
 * A tag used by a controller but missing here fails the contract test.
 */
const TAGS: [name: string, description: string][] = [
  [
    'auth',
    "Sign-up, sign-in and sign-out, your own account and your agency's settings. Sign-in returns a " +
      'short-lived access token (a JWT for `Authorization: Bearer`, 15 minutes by default) and an ' +
      'opaque refresh token that works once and is replaced by every refresh. Sign-in, refresh and ' +
      'sign-up are rate-limited per client network (429 with `Retry-After`).',
  ],
  [
    'users',
    'Staff of your agency and their roles: `owner`, `admin`, `organiser`, `viewer`. Owners and ' +
      'admins manage staff; only owners grant, change or take away the owner role, and the last ' +
      'active owner stays one. Deactivating someone ends their sessions at once.',
  ],
  [
    'api-keys',
    'Keys for integrations (`X-API-Key`), with scopes `<area>:read` or `<area>:write` (write ' +
      'includes read) and `pii:read`. A key is shown once, when created; only its prefix and a ' +
      'hash are kept. Keys never manage staff, keys or the audit trail. Owners and admins only.',
  ],
  [
    'audit',
    'The audit trail of your agency: sign-ins, changes to staff, keys, the directory, trips and ' +
      'participants, reads of personal data. Written in the same transaction as the change; ' +
      'personal values are never in it. Owners and admins only.',
  ],
  [
    'directory',
    'Partner organisations (ministries, chambers, companies, institutes) and the people there ' +
      '(contacts). `q` searches names ignoring case and accents and forgiving small typos. Records ' +
      'that trips or participations refer to cannot be deleted (409 `in_use`).',
  ],
  [
    'contacts',
    "A person's data-protection rights: an export of everything held about them (GDPR Art. 15 " +
      'and 20) and erasure that keeps statistics but nothing that identifies them (Art. 17). ' +
      'Contacts themselves are under `directory`.',
  ],
  [
    'trips',
    'Delegation trips and their stations (cities visited, each in its own timezone). A trip moves ' +
      'through `draft` → `planned` → `registration_open` → `registration_closed` → `in_progress` → ' +
      '`completed` (or `cancelled`) only by `POST /trips/{id}/transitions`. Trips show seats left, ' +
      'participants per status and how ready the confirmed participants are to travel.',
  ],
  [
    'participants',
    'The delegation list of a trip: who travels, in which role and status, with their visa and ' +
      'passport data. Seat decisions (capacity, per-organisation caps, the waitlist) are taken ' +
      'one at a time per trip, so a trip is never overbooked. Passport numbers are encrypted at ' +
      'rest and shown in full only with `pii:read`.',
  ],
  [
    'programme',
    "A trip's programme: meetings with ministries, chambers, companies and institutions at its " +
      "stations. Times are stored as instants and read in the station's IANA timezone: send them " +
      'local (`2024-03-01T10:00`) or with an offset; answers carry both. Nobody attends two ' +
      'overlapping meetings (the database refuses it under any concurrency). A meeting moves ' +
      '`planned` → `confirmed` → `held` (or `cancelled`) by its transitions.',
  ],
  [
    'agreements',
    'MoUs, cooperation agreements, letters of intent and contracts with partner organisations: ' +
      'who signed what, where, from which trip and meeting. An agreement moves `draft` → ' +
      '`negotiating` → `signed` → `in_force` → `expired` (by itself, the day after `validUntil`) ' +
      'or `terminated`, or is `abandoned` before signing, by `POST /agreements/{id}/transitions`. ' +
      'Follow-ups say what is to be done by when and by whom; `GET /follow-ups` lists what is due.',
  ],
  [
    'reports',
    'What the agency reports, computed from its data: a trip in figures (participants, ' +
      "organisations, official appointments, counterparts, agreements) and the agency's year " +
      'beside the year before, as JSON, CSV, XLSX or PDF. Every figure names the list endpoint ' +
      'and filter that shows its rows, so an integrator can check it.',
  ],
  [
    'webhooks',
    "Events for the agency's CRM, website and newsletter tool: endpoints with their event " +
      'types, signed deliveries (Standard Webhooks: webhook-id, webhook-timestamp, ' +
      'webhook-signature) retried for about a day, the delivery log, redelivery and a test event. ' +
      'Owners and admins; API keys with webhooks:read or webhooks:write.',
  ],
  [
    'announcements',
    "Messages from staff to a trip's delegation or part of it (by status, role, category, station " +
      "or by name), in each recipient's language, plain text or Markdown; scheduled with `sendAt` " +
      "and withdrawn until they go out. Each recipient's message is in the delivery log.",
  ],
  [
    'invitations',
    'Inviting contacts to a trip: one email each with a personal link to ' +
      '`/public/invitations/{token}`, bound to the address it was sent to. Resend and revoke ' +
      'single invitations; see who answered.',
  ],
  [
    'public',
    'What invitees and participants do through the links they were emailed, without an account: ' +
      'the token in the path is the only key. Any token that opens nothing (unknown, tampered, ' +
      'revoked, expired, erased person) is the same 404. Rate-limited per client network (429 with ' +
      '`Retry-After`).',
  ],
  [
    'notifications',
    'The delivery log: every email the agency sends (invitations, reminders, status messages), ' +
      'whether it went out, when, and what the mail server answered.',
  ],
  [
    'Operations',
    'For operators and monitoring, outside `/api/v1`: liveness, readiness of this API instance ' +
      '(PostgreSQL, Redis), whether a queue worker reported in, and Prometheus metrics.',
  ],
];

/** What `@Requires()` puts on an operation (see identity/access/permissions.ts). */
interface PermissionExtension {
  roles: string[];
  apiKeyScopes: string[];
}

const code = (value: string) => `\`${value}\``;
const either = (values: string[], last: string) =>
  values.length > 1 ? `${values.slice(0, -1).join(', ')} ${last} ${values.at(-1)}` : values[0];

/** Who may call an operation, in words, from the same policy the access guard enforces. */
function accessNote(permission: PermissionExtension | undefined): string {
  if (!permission) return '**Access:** public: no staff access token or API key needed.';
  const staff = `staff with the role ${either(permission.roles.map(code), 'or')}`;
  const keys =
    permission.apiKeyScopes.length > 0
      ? `, or an API key with the scope ${either(permission.apiKeyScopes.map(code), 'or')}`
      : '; API keys cannot';
  return `**Access:** ${staff}${keys}.`;
}

type Parameters = OpenAPIObject['paths'][string]['parameters'];

/**
 * Header names are case-insensitive, but a header a route reads with
 * `@Headers('authorization')` and documents with `@ApiHeader({ name:
 * 'Authorization' })` comes out twice, the first copy required and
 * undescribed. The described one stays.
 */
function withoutDuplicateHeaders(parameters: Parameters): Parameters {
  if (!parameters) return parameters;
  const headers = parameters.filter((p) => 'in' in p && p.in === 'header');
  return parameters.filter(
    (parameter) =>
      !('in' in parameter) ||
      parameter.in !== 'header' ||
      parameter.description ||
      !headers.some(
        (other) =>
          other !== parameter &&
          'name' in other &&
          other.name.toLowerCase() === parameter.name.toLowerCase() &&
          other.description,
      ),
  );
}

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

const ETAG_HEADER = {
  description: "The resource's `version`, quoted: send it as `If-Match` to change it safely.",
  schema: { type: 'string' as const, example: '"3"' },
};

const IF_NONE_MATCH_HEADER = {
  name: 'If-None-Match',
  in: 'header' as const,
  required: false,
  description: 'The ETag of your cached copy: 304 with no body while it is still current.',
  schema: { type: 'string' as const, maxLength: 64 },
};

/** Whether a response's JSON body is a schema with a `version` (so the ETag interceptor sets an ETag). */
function isVersioned(document: OpenAPIObject, response: unknown): boolean {
  const schema = (response as { content?: Record<string, { schema?: { $ref?: string } }> })
    ?.content?.['application/json']?.schema;
  const name = schema?.$ref?.split('/').pop();
  const properties = name
    ? (document.components?.schemas?.[name] as { properties?: Record<string, unknown> })?.properties
    : undefined;
  return properties?.version !== undefined;
}

/**
 * What the HTTP layer does around every route, said in the contract where
 * it can happen: ETag on versioned answers and 304 for a current
 * If-None-Match (not where the figures are live), 400 for unsafe or invalid
 * input, 413/415 wherever a body can be sent, 414 for path segments too long.
 */
function documentHttpLayer(document: OpenAPIObject, method: string, operation: Operation): void {
  const parameters = (operation.parameters ?? []) as { in?: string }[];
  if (operation.requestBody || parameters.some((p) => p.in === 'path' || p.in === 'query')) {
    operation.responses['400'] ??= problemResponse(400);
  }
  // Any body sent with these is read (and refused when too large or not JSON), declared or not.
  if (['post', 'put', 'patch', 'delete'].includes(method)) {
    operation.responses['413'] ??= problemResponse(413);
    operation.responses['415'] ??= problemResponse(415);
  }
  if (parameters.some((p) => p.in === 'path')) operation.responses['414'] ??= problemResponse(414);
  for (const status of ['200', '201']) {
    const response = operation.responses[status] as { headers?: Record<string, unknown> };
    if (!response || !isVersioned(document, response)) continue;
    response.headers = { ...response.headers, ETag: ETAG_HEADER };
    if (method === 'get' && status === '200' && !('x-live-figures' in operation)) {
      operation.parameters = [...(operation.parameters ?? []), IF_NONE_MATCH_HEADER];
      operation.responses['304'] = {
        description: 'Not modified: your copy (If-None-Match) is current. No body.',
        headers: { ETag: ETAG_HEADER },
      };
    }
  }
}

/** The OpenAPI contract, built from the controllers and DTOs (see `npm run openapi`). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Delegation Desk API')
    .setDescription(
      'Back office for trade-promotion agencies running business delegation trips: the directory ' +
        'of partner organisations and contacts, trips and their stations, participants and their ' +
        'travel documents, invitations and the links participants answer through. Each agency is ' +
        'a tenant; an id of another agency answers 404 like one that does not exist.\n\n' +
        'Sign in as staff (`Authorization: Bearer <access token>`) or use an API key ' +
        '(`X-API-Key`); each operation says who may call it (`x-permission`). Errors are RFC 9457 ' +
        '`application/problem+json` with a stable `code`; lists are cursor-paginated ' +
        '(`limit`, `cursor` → `nextCursor`); resources carry a `version` sent as `ETag`, and ' +
        '`If-Match` makes a change fail with 412 when someone changed it first; POSTs honour ' +
        '`Idempotency-Key` unless they say otherwise; a 201 names the new resource in `Location`.',
    )
    .setVersion('1')
    .setContact('Delegation Desk', 'https://delegation-desk.example', 'api@delegation-desk.example')
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
    .addSecurityRequirements(API_KEY_SCHEME);
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controllerKey, methodKey) =>
      lowerFirst(controllerKey.replace(/Controller$/, '')) + upperFirst(methodKey),
  });
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (!operation) continue;
      operation.description = [
        operation.description,
        accessNote((operation as { 'x-permission'?: PermissionExtension })['x-permission']),
      ]
        .filter(Boolean)
        .join('\n\n');
      operation.parameters = withoutDuplicateHeaders(operation.parameters);
      documentHttpLayer(document, method, operation);
      // Any operation can fail unexpectedly; said once here instead of on every route.
      operation.responses['500'] ??= problemResponse(500);
      // A POST that honours Idempotency-Key (`Idempotent`) takes the header and may answer
      // 409 (a duplicate still running) or 422 (the key reused for another body).
      const idempotency = (operation as { [IDEMPOTENCY_EXTENSION]?: string })[
        IDEMPOTENCY_EXTENSION
      ];
      if (idempotency === 'honoured') {
        operation.parameters = [...(operation.parameters ?? []), IDEMPOTENCY_KEY_HEADER];
        operation.responses['409'] ??= problemResponse(409);
        operation.responses['422'] ??= problemResponse(422);
      }
    }
  }
  addWebhookEvents(document);
  return document;
}
