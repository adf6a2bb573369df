import { tmpdir } from 'node:os';
import type { DataSource } from 'typeorm';
import type { TestApp } from '../test-app.js';
import type { Operation } from './contract.js';
import type { BodyPlan, FuzzRequest } from './requests.js';
import type { FuzzWorld } from './world.js';

/** What went over the wire, credentials masked, and what came back. */
export interface Exchange {
  operation: Operation;
  request: FuzzRequest;
  /** The headers sent, tokens and keys replaced by what they were. */
  sentHeaders: Record<string, string>;
  authorization: string | undefined;
  /** 0 when no response came (connection reset, timeout). */
  status: number;
  contentType: string;
  responseHeaders: Record<string, string>;
  text: string;
  body: unknown;
  error?: string;
}

const TIMEOUT_MS = 30_000;

/** Sends `request` as its principal; never throws. */
export async function send(
  t: TestApp,
  world: FuzzWorld,
  operation: Operation,
  request: FuzzRequest,
): Promise<Exchange> {
  const auth = world.authHeaders(request.principal, request.bogusVariant);
  const headers = { ...auth, ...request.headers };
  let call = t.http()[request.method](request.url).timeout(TIMEOUT_MS);
  for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
  const body = request.body;
  if (body.kind === 'json')
    call = call.set('Content-Type', 'application/json').send(JSON.stringify(body.value));
  if (body.kind === 'raw') {
    if (body.contentType !== undefined) call = call.set('Content-Type', body.contentType);
    for (const [name, value] of Object.entries(body.headers ?? {})) call = call.set(name, value);
    call = call.send(body.payload);
  }
  const exchange: Exchange = {
    operation,
    request,
    sentHeaders: maskCredentials(headers, world),
    authorization: auth.Authorization,
    status: 0,
    contentType: '',
    responseHeaders: {},
    text: '',
    body: undefined,
  };
  try {
    const response = await call;
    const responseHeaders = response.headers as Record<string, string>;
    return {
      ...exchange,
      status: response.status,
      contentType: responseHeaders['content-type'] ?? '',
      responseHeaders,
      text: typeof response.text === 'string' ? response.text : '',
      body: response.body as unknown,
    };
  } catch (error) {
    return {
      ...exchange,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

function maskCredentials(
  headers: Record<string, string>,
  world: FuzzWorld,
): Record<string, string> {
  const secrets: [string, string][] = [
    [world.owner.accessToken, '<owner token>'],
    [world.viewer.accessToken, '<viewer token>'],
    [world.otherOwner.accessToken, '<other agency owner token>'],
    [world.apiKey.key, '<API key>'],
    [world.metricsToken, '<METRICS_TOKEN>'],
  ];
  // Then whatever still looks like a JWT or an API key (a real one altered by a bogus variant).
  const mask = (value: string) =>
    secrets
      .reduce((masked, [secret, label]) => masked.split(secret).join(label), value)
      .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '<a JWT>')
      .replace(/dd_[0-9a-f]{8}_[\w-]{8,}/gi, '<an API key>');
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, mask(value)]));
}

/**
 * Row count and newest version/updated_at of every table, in one query:
 * what a refused request must leave exactly as it was.
 */
export class DatabaseFingerprint {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly sql: string,
  ) {}

  static async prepare(dataSource: DataSource): Promise<DatabaseFingerprint> {
    const columns = await dataSource.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'migrations'
          AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
        ORDER BY table_name`,
    );
    const tables = new Map<string, Set<string>>();
    for (const { table_name, column_name } of columns) {
      tables.set(table_name, (tables.get(table_name) ?? new Set()).add(column_name));
    }
    const parts = [...tables].map(([table, names]) => {
      const figures = [
        'count(*)::text',
        ...(names.has('version') ? [`coalesce(max(version), 0)::text`] : []),
        ...(names.has('updated_at') ? [`coalesce(max(updated_at)::text, '-')`] : []),
      ];
      return `'${table}', (SELECT ${figures.join(` || '/' || `)} FROM "${table}")`;
    });
    return new DatabaseFingerprint(
      dataSource,
      `SELECT json_build_object(${parts.join(', ')}) AS fingerprint`,
    );
  }

  async take(): Promise<Record<string, string>> {
    const [row] = await this.dataSource.query<{ fingerprint: Record<string, string> }[]>(this.sql);
    return row.fingerprint;
  }

  static changed(before: Record<string, string>, after: Record<string, string>): string[] {
    return Object.keys(after).filter((table) => before[table] !== after[table]);
  }
}

/**
 * Tables a refused request may still write, on purpose: a failed login and
 * a reused refresh token are recorded in the audit trail (and the reuse
 * ends that token's session) — that is the point of answering 401.
 */
const WRITTEN_WHEN_REFUSED: Record<string, string[]> = {
  authLogin: ['audit_events'],
  authRefresh: ['audit_events'],
};

const LEAK_MARKERS: [string, string][] = [
  ['stack trace', '    at '],
  ['stack trace', '.ts:'],
  ['stack trace', 'node_modules'],
  ['SQL', 'SELECT '],
  ['SQL', 'INSERT '],
  ['SQL', 'UPDATE '],
  ['SQL', ' FROM '],
  ['SQL', 'QueryFailedError'],
  ['SQL', 'violates'],
  ['server path', '/work/'],
  ['server path', '/tmp/'],
  ['server path', '/var/'],
  ['server path', process.cwd()],
  ['server path', `${tmpdir()}/`],
];

const PROBLEM = /^application\/problem\+json/;
const TEXT = /json|text|xml|csv|html/;

/** Everything wrong with one exchange; empty when it is fine. */
export function violations(exchange: Exchange, changedTables: string[]): string[] {
  const { operation, status } = exchange;
  if (status === 0) return [`no response (${exchange.error})`];
  const found: string[] = [];
  const contractual5xx = operation.statuses.filter(
    (documented) => documented >= 500 && documented !== 500,
  );
  if (status >= 500 && !contractual5xx.includes(status)) found.push(`status ${status}`);
  if (exchange.contentType === '' || TEXT.test(exchange.contentType)) {
    for (const [what, marker] of LEAK_MARKERS) {
      if (exchange.text.includes(marker)) found.push(`leaks ${what} (${JSON.stringify(marker)})`);
    }
  }
  if (status >= 400) {
    const problem = exchange.body as { status?: unknown; code?: unknown } | undefined;
    if (!PROBLEM.test(exchange.contentType)) {
      found.push(
        `error answered as ${JSON.stringify(exchange.contentType)}, not application/problem+json`,
      );
    } else if (
      exchange.request.method !== 'head' &&
      (problem?.status !== status || typeof problem.code !== 'string')
    ) {
      found.push('problem without a matching status and a code');
    }
  }
  if (status >= 400 && status < 500) {
    const allowed = WRITTEN_WHEN_REFUSED[operation.operationId] ?? [];
    const changed = changedTables.filter((table) => !allowed.includes(table));
    if (changed.length > 0) found.push(`answered ${status} but changed ${changed.join(', ')}`);
  }
  return found;
}

const SHOWN = 3000;

function showBody(body: BodyPlan): string {
  switch (body.kind) {
    case 'none':
      return '(none)';
    case 'json':
      return clip(JSON.stringify(body.value, longStrings));
    case 'raw':
      return `${body.label}: ${clip(typeof body.payload === 'string' ? JSON.stringify(body.payload) : `<bytes ${body.payload.toString('hex').slice(0, 200)}>`)}`;
  }
}

/** Long strings shown as what they are made of, so a failure message stays readable but exact. */
function longStrings(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || value.length <= 200) return value;
  const unit = [...new Set(value)].length === 1 ? value[0] : undefined;
  return unit
    ? `<${JSON.stringify(unit)} × ${value.length}>`
    : `${value.slice(0, 150)}…<${value.length} chars>`;
}

function clip(text: string): string {
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}…(${text.length} chars)` : text;
}

function bodyHeaders(body: BodyPlan): Record<string, string> {
  switch (body.kind) {
    case 'none':
      return {};
    case 'json':
      return { 'Content-Type': 'application/json' };
    case 'raw':
      return {
        ...(body.contentType === undefined ? {} : { 'Content-Type': body.contentType }),
        ...body.headers,
      };
  }
}

/** The exchange, for a person who wants to replay it. */
export function describe(exchange: Exchange): string {
  const { operation, request } = exchange;
  const headers = Object.entries({ ...exchange.sentHeaders, ...bodyHeaders(request.body) }).map(
    ([name, value]) => `      ${name}: ${clip(value)}`,
  );
  const response =
    exchange.status === 0
      ? `    (no response: ${exchange.error})`
      : [
          `    ${exchange.status} ${exchange.contentType}`,
          `    ${clip(exchange.text || JSON.stringify(exchange.body) || '')}`,
        ].join('\n');
  return [
    `  ${operation.operationId}: ${operation.method.toUpperCase()} ${operation.path}`,
    `  request (${request.notes.join('; ')}):`,
    `    ${request.method.toUpperCase()} ${clip(request.url)}`,
    ...headers,
    `    body: ${showBody(request.body)}`,
    `  response:`,
    response,
  ].join('\n');
}

/** One line per exchange: operation, status, code, the first field error, what the generator did. */
export function traceLine(exchange: Exchange, changedTables: string[]): string {
  const body = exchange.body as
    { code?: unknown; errors?: { field: string; message: string }[] } | undefined;
  const error = body?.errors?.[0];
  return [
    exchange.operation.operationId,
    exchange.status,
    typeof body?.code === 'string' ? body.code : '',
    error ? `${error.field}: ${error.message.slice(0, 100)}` : '',
    exchange.request.notes.join('; '),
    `changed: ${changedTables.join(', ') || 'nothing'}`,
    exchange.request.url.slice(0, 200),
    showBody(exchange.request.body).slice(0, 300),
  ].join(' | ');
}

/** Distinct failures of one run, each with its first example and how often it happened. */
export class FailureLog {
  private readonly seen = new Map<string, { example: string; count: number }>();

  add(exchange: Exchange, found: string[]): string {
    const code = (exchange.body as { code?: unknown } | undefined)?.code;
    const text = `${found.join('; ')}\n${describe(exchange)}`;
    for (const violation of found) {
      const key = `${exchange.operation.operationId} | ${violation.replace(/\(.*\)$/, '')} | ${typeof code === 'string' ? code : ''}`;
      const entry = this.seen.get(key);
      if (entry) entry.count++;
      else this.seen.set(key, { example: text, count: 1 });
    }
    return text;
  }

  get size(): number {
    return this.seen.size;
  }

  report(): string {
    return [...this.seen.values()]
      .map(({ example, count }, i) => `#${i + 1} (${count}×) ${example}`)
      .join('\n\n');
  }
}

/** Counts for the summary: requests, statuses, codes, statuses the contract does not list. */
export class FuzzStats {
  requests = 0;
  readonly statuses = new Map<number, number>();
  readonly perOperation = new Map<string, Map<number, number>>();
  readonly undocumented = new Map<string, number>();
  readonly codes = new Map<string, number>();

  record(exchange: Exchange): void {
    const { operation, status } = exchange;
    this.requests++;
    bump(this.statuses, status);
    const mine = this.perOperation.get(operation.operationId) ?? new Map<number, number>();
    bump(mine, status);
    this.perOperation.set(operation.operationId, mine);
    if (status !== 0 && !operation.statuses.includes(status))
      bump(this.undocumented, `${operation.operationId} ${status}`);
    const code = (exchange.body as { code?: unknown } | undefined)?.code;
    if (status >= 400 && typeof code === 'string') bump(this.codes, `${status} ${code}`);
  }

  summary(seed: number, seconds: number): string {
    const sorted = <K, V>(map: Map<K, V>) =>
      [...map].sort(([a], [b]) => String(a).localeCompare(String(b)));
    return [
      `fuzz: seed ${seed}, ${this.requests} requests in ${seconds.toFixed(1)} s`,
      `statuses: ${sorted(this.statuses)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ')}`,
      `codes: ${sorted(this.codes)
        .map(([code, n]) => `${code}×${n}`)
        .join(', ')}`,
      `statuses the contract does not list: ${
        sorted(this.undocumented)
          .map(([what, n]) => `${what}×${n}`)
          .join(', ') || 'none'
      }`,
      'per operation:',
      ...sorted(this.perOperation).map(
        ([operation, statuses]) =>
          `  ${operation}: ${sorted(statuses)
            .map(([status, n]) => `${status}×${n}`)
            .join(' ')}`,
      ),
    ].join('\n');
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
