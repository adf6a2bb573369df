import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compileWithSwaggerPlugin } from './support/compile.js';
import { ROOT } from './support/spawn.js';

/**
 * The OpenAPI contract integrators generate clients from (issue 12): built
 * from the real app exactly as `npm run openapi` builds it (compiled with
 * the @nestjs/swagger plugin and the options of nest-cli.json, then
 * src/openapi.ts), into a private folder so dist/ is left alone; then read
 * the way a client generator would, and linted with Spectral.
 */

const run = promisify(execFile);

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
}

interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema?: Schema;
}

interface Response {
  description?: string;
  headers?: Record<string, { required?: boolean; schema?: Schema }>;
  content?: Record<string, { schema?: Schema }>;
}

interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
  'x-permission'?: unknown;
  'x-live-figures'?: boolean;
  'x-idempotency-key'?: string;
}

interface Document {
  tags?: { name: string; description?: string }[];
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, Schema> };
}

interface SpectralResult {
  code: string;
  message: string;
  path: string[];
  severity: number;
}

/** Spectral's severities: 0 error, 1 warning, 2 information, 3 hint. */
const WARNING = 1;

/** Operations that count attempts against a limit (rate-limits.ts), besides every public link endpoint. */
const RATE_LIMITED = [
  'authSignup',
  'authLogin',
  'authRefresh',
  'meChangePassword',
  'invitationsResend',
];

/** Names of fields and parameters that hold whole numbers. */
const WHOLE_NUMBER =
  /(count|counts|capacity|position|version|limit|seats\w*|days|months|year|attempts|expiresIn|invited|size|total)$/i;

describe('OpenAPI contract', () => {
  const out = join(ROOT, 'var', `openapi-contract-${process.pid}-${Date.now()}`);
  let document: Document;
  let lint: SpectralResult[];

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const operation = item[method];
        return operation ? [{ path, method, operation }] : [];
      }),
    );

  beforeAll(async () => {
    compileWithSwaggerPlugin(out);
    const file = join(out, 'openapi.json');
    await run(process.execPath, [join(out, 'src/openapi.js'), file], { cwd: ROOT });
    document = JSON.parse(await readFile(file, 'utf8')) as Document;
    const results = join(out, 'spectral.json');
    await run(
      process.execPath,
      [
        join(ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js'),
        'lint',
        file,
        '--ruleset',
        join(ROOT, '.spectral.yaml'),
        '--format',
        'json',
        '--output',
        results,
      ],
      { cwd: ROOT },
    ).catch(() => undefined); // exits 1 on errors; the results file says which
    lint = JSON.parse(await readFile(results, 'utf8')) as SpectralResult[];
  }, 240_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('describes every operation beyond its summary, saying who may call it', () => {
    const undescribed = operations().filter(
      ({ operation }) =>
        !operation.summary?.trim() ||
        !operation.description?.trim() ||
        operation.description.trim() === operation.summary.trim() ||
        !operation.description.includes('**Access:**'),
    );
    expect(undescribed.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('declares a client error on every API operation (redocly.yaml leaves this to us)', () => {
    const without = operations().filter(
      ({ path, operation }) =>
        path.startsWith('/api/v1/') &&
        !Object.keys(operation.responses).some((status) => status.startsWith('4')),
    );
    expect(without.map(({ operation }) => operation.operationId)).toEqual([]);
  });

  it('says of every POST whether it honours Idempotency-Key, and takes the header where it does', () => {
    const posts = operations().filter(({ method }) => method === 'post');
    expect(posts.length).toBeGreaterThan(30);
    const unsaid = posts.filter(
      ({ operation }) => !['honoured', 'ignored'].includes(operation['x-idempotency-key'] ?? ''),
    );
    expect(unsaid.map(({ operation }) => operation.operationId)).toEqual([]);
    for (const { operation } of posts) {
      const takesKey = (operation.parameters ?? []).some(
        (parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key',
      );
      expect([operation.operationId, takesKey]).toEqual([
        operation.operationId,
        operation['x-idempotency-key'] === 'honoured',
      ]);
    }
  });

  it('declares every tag it uses, each with a description, and uses every tag it declares', () => {
    const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
    const used = new Set(operations().flatMap(({ operation }) => operation.tags ?? []));
    expect([...used].filter((tag) => !declared.get(tag)?.trim())).toEqual([]);
    expect([...declared.keys()].filter((tag) => !used.has(tag))).toEqual([]);
    expect(operations().filter(({ operation }) => operation.tags?.length !== 1)).toEqual([]);
  });

  it('types counts, capacities, positions, versions and limits as integers', () => {
    const numbers: string[] = [];
    const visit = (schema: Schema | undefined, where: string, name: string) => {
      if (!schema) return;
      if (schema.type === 'number' && WHOLE_NUMBER.test(name)) numbers.push(where);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        visit(property, `${where}.${key}`, key);
      }
      visit(schema.items, `${where}[]`, name);
    };
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      visit(schema, name, name);
    }
    for (const { path, method, operation } of operations()) {
      for (const parameter of operation.parameters ?? []) {
        visit(parameter.schema, `${method} ${path} ${parameter.name}`, parameter.name);
      }
    }
    expect(numbers).toEqual([]);
    // The ones integrators page and lock with, by name.
    const schemas = document.components.schemas;
    expect(schemas.CreateTripDto.properties?.capacity?.type).toBe('integer');
    expect(schemas.CreateStationDto.properties?.position?.type).toBe('integer');
    expect(schemas.TripDto.properties?.version?.type).toBe('integer');
    const limit = document.paths['/api/v1/trips'].get?.parameters?.find((p) => p.name === 'limit');
    expect(limit?.schema?.type).toBe('integer');
  });

  it('gives every string a client sends a maximum length', () => {
    const unbounded: string[] = [];
    const visit = (schema: Schema | undefined, where: string, seen: Set<string>) => {
      if (!schema) return;
      if (schema.$ref) {
        const name = schema.$ref.split('/').at(-1) ?? '';
        if (!seen.has(name))
          visit(document.components.schemas[name], where, new Set([...seen, name]));
        return;
      }
      const bounded = schema.maxLength !== undefined || schema.enum || schema.format;
      // A pattern-only string (e.g. an audit `action` filter) has no length limit to state.
      if (schema.type === 'string' && !bounded && !schema.pattern) unbounded.push(where);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        visit(property, `${where}.${key}`, seen);
      }
      for (const part of schema.allOf ?? []) visit(part, where, seen);
      visit(schema.items, `${where}[]`, seen);
    };
    for (const { path, method, operation } of operations()) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'header') continue;
        visit(parameter.schema, `${method} ${path} ${parameter.name}`, new Set());
      }
      for (const content of Object.values(operation.requestBody?.content ?? {})) {
        visit(content.schema, `${method} ${path} body`, new Set());
      }
    }
    expect(unbounded).toEqual([]);
    const contact = document.components.schemas.CreateContactDto.properties ?? {};
    expect(contact.preferredLanguage?.maxLength).toBe(2);
    expect(contact.email?.maxLength).toBe(254);
  });

  it('answers every create with 201, its body and a Location header', () => {
    const created = operations().filter(({ operation }) => operation.responses['201']);
    expect(created.map(({ operation }) => operation.operationId).sort()).toEqual(
      [
        'agreementsCreate',
        'announcementsCreate',
        'apiKeysCreate',
        'authSignup',
        'contactsCreate',
        'followUpsCreate',
        'participantsCreate',
        'partnerOrganisationsCreate',
        'programmeCreate',
        'publicInvitationsRegister',
        'tripsCreate',
        'tripsCreateStation',
        'usersCreate',
        'webhookEndpointsCreate',
      ].sort(),
    );
    for (const { operation } of created) {
      const response = operation.responses['201'];
      expect({ id: operation.operationId, location: response.headers?.Location }).toEqual({
        id: operation.operationId,
        location: expect.objectContaining({ required: true }),
      });
      expect(response.content?.['application/json']?.schema?.$ref).toBeDefined();
    }
  });

  it('declares 429 with Retry-After on every rate-limited operation', () => {
    const limited = operations().filter(
      ({ path, operation }) =>
        RATE_LIMITED.includes(operation.operationId) || path.startsWith('/api/v1/public/'),
    );
    expect(limited.length).toBeGreaterThan(RATE_LIMITED.length);
    const missing = limited.filter(({ operation }) => !operation.responses['429']);
    expect(missing.map(({ operation }) => operation.operationId)).toEqual([]);
    const withoutRetryAfter = operations().filter(
      ({ operation }) =>
        operation.responses['429'] && !operation.responses['429'].headers?.['Retry-After'],
    );
    expect(withoutRetryAfter.map(({ operation }) => operation.operationId)).toEqual([]);
  });

  it('says where the HTTP layer answers 413, 414, 415 and 304, and sends ETags', () => {
    const missing: string[] = [];
    for (const { method, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      const need = (status: string, when: boolean) => {
        if (when && !statuses.includes(status)) missing.push(`${operation.operationId} ${status}`);
      };
      const takesBody = ['post', 'put', 'patch', 'delete'].includes(method);
      need('413', takesBody);
      need('415', takesBody);
      need(
        '414',
        (operation.parameters ?? []).some((p) => p.in === 'path'),
      );
      need('400', operation.requestBody !== undefined);
      const ok = operation.responses['200'];
      const ref = ok?.content?.['application/json']?.schema?.$ref?.split('/').at(-1);
      const versioned = ref !== undefined && document.components.schemas[ref]?.properties?.version;
      if (versioned && !ok.headers?.ETag) missing.push(`${operation.operationId} ETag`);
      need('304', method === 'get' && Boolean(versioned) && !('x-live-figures' in operation));
    }
    expect(missing).toEqual([]);
    // A trip's figures are live: never 304, and the contract says so.
    const trip = document.paths['/api/v1/trips/{id}'].get!;
    expect(trip.responses['304']).toBeUndefined();
    expect(document.paths['/api/v1/contacts/{id}'].get!.responses['304']).toBeDefined();
  });

  it('documents the extension members problems carry', () => {
    const problem = document.components.schemas.ProblemDto.properties ?? {};
    for (const member of [
      'errors',
      'errorId',
      'allowedTransitions',
      'existingContactId',
      'contactId',
      'participantStatus',
      'retryAfter',
      'checks',
    ]) {
      expect(problem).toHaveProperty(member);
    }
    expect(problem.status?.type).toBe('integer');
  });

  it('passes Spectral (.spectral.yaml) without errors or warnings', () => {
    const problems = lint
      .filter((result) => result.severity <= WARNING)
      .map((result) => `${result.code} at ${result.path.join('.')}: ${result.message}`);
    expect(problems).toEqual([]);
  });
});
