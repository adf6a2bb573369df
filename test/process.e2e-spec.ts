import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/app-config.js';
import { createTestDatabase, databaseUrl, dropDatabase } from './support/databases.js';
import {
  deleteRedisKeys,
  freePort,
  spawnTypeScript,
  tryConnect,
  within,
  type Spawned,
} from './support/spawn.js';

const FIXTURE = 'test/fixtures/api-with-probes.ts';
const STANDALONE = 'src/standalone.ts';
const REDIS_URL = loadConfig({ REDIS_URL: process.env.REDIS_URL }).REDIS_URL;

/** One pino line on the child's stdout. */
interface LogLine {
  errorId?: string;
  level?: number;
  msg?: string;
  req?: { id?: string; url?: string };
  res?: { statusCode?: number; headers?: unknown };
  err?: { message?: string; stack?: string };
  [field: string]: unknown;
}

/**
 * Real processes, started the way production starts them: signals, exit
 * codes, what reaches stdout, and the first start against an empty server.
 */
describe('the API as a process', () => {
  const children: Spawned[] = [];
  const databases: string[] = [];
  const prefixes: string[] = [];
  let mailDir: string;

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'dd-mail-'));
  });

  afterAll(async () => {
    await Promise.all(children.map((child) => child.kill()));
    await Promise.all(databases.map((url) => dropDatabase(url)));
    await Promise.all(prefixes.map((prefix) => deleteRedisKeys(prefix, REDIS_URL)));
    await rm(mailDir, { recursive: true, force: true });
  });

  /** Environment of one child: private database, Redis prefix and mail folder; JSON logs at info. */
  function environment(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const prefix = `dd-test:proc:${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    return {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'info',
      MAIL_DIR: mailDir,
      ...extra,
    };
  }

  /** Starts the fixture (real API plus probe routes) on a fresh test database; resolves once it listens. */
  async function startFixture(): Promise<{ api: Spawned; base: string; port: number }> {
    const url = await createTestDatabase();
    databases.push(url);
    const api = spawnTypeScript(FIXTURE, environment(url));
    children.push(api);
    const [, port] = await api.waitForStderr(/LISTENING (\d+)/, 20_000);
    return { api, port: Number(port), base: `http://127.0.0.1:${port}` };
  }

  it('SIGTERM during a slow request lets it finish, then the process exits', async () => {
    const { api, base, port } = await startFixture();

    const response = fetch(`${base}/api/v1/probe/slow?ms=1500`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    api.child.kill('SIGTERM');

    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    const respondedAfter = Date.now() - signalledAt;

    // Waits past the 10 s shutdown timeout so that a late exit shows its real status.
    const exit = await within(api.exited, 15_000, 'exit after SIGTERM');
    const exitedAfter = Date.now() - signalledAt;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitedAfter).toBeLessThan(10_000);
    // The request was still in flight for most of its 1.5 s when the signal came.
    expect(respondedAfter).toBeGreaterThanOrEqual(1000);
    expect(api.stdout()).toContain('"msg":"shutting down"');

    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('an unexpected error is logged with its error id, and secrets are redacted', async () => {
    const { api, base } = await startFixture();

    const res = await fetch(`${base}/api/v1/probe/boom`, {
      headers: { Authorization: 'Bearer very-secret-token-123' },
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { code: string; errorId: string };
    expect(problem).toMatchObject({ status: 500, code: 'internal_error' });
    expect(problem.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(problem)).not.toMatch(/hunter2|SELECT/);
    const requestId = res.headers.get('x-request-id');

    // A failed query and a refused duplicate sign-up: neither query parameters
    // (password hashes, emails) nor PostgreSQL's "Key (...)=(...)" detail reach the log.
    expect((await fetch(`${base}/api/v1/probe/failing-query`)).status).toBe(500);
    const signup = () =>
      fetch(`${base}/api/v1/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          tenantName: 'Log Watchers',
          name: 'Lea Wachter',
          email: 'lea.wachter@logs.example',
          password: 'Steppe-Caravan-Tashkent-2026',
        }),
      });
    expect((await signup()).status).toBe(201);
    expect((await signup()).status).toBe(409);

    const exit = await api.stop('SIGTERM', 10_000);
    expect(exit).toEqual({ code: 0, signal: null });

    const stdout = api.stdout();
    const lines = stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);

    // The server-side log keeps the whole error (message included), keyed by the id the client got.
    const logged = lines.find((line) => line.errorId === problem.errorId);
    expect(logged).toMatchObject({
      level: 50,
      msg: 'unexpected error',
      context: 'Problem',
      method: 'GET',
      url: '/api/v1/probe/boom',
      req: { id: requestId },
      err: { type: 'Error', message: expect.stringContaining('SELECT * FROM users') },
    });
    expect(logged?.err?.stack).toEqual(expect.any(String));

    // The credential itself never reaches the log, in any line.
    expect(stdout).not.toContain('very-secret-token-123');
    expect(lines.some((line) => line.url === '/api/v1/probe/failing-query')).toBe(true);
    for (const secret of ['parameter-secret-42', 'Key (slug)', '$argon2id', 'lea.wachter']) {
      expect(stdout).not.toContain(secret);
    }
    expect(api.stderr()).not.toContain('$argon2id');
    // Request logs carry no request headers at all (the req serializer keeps only id, method,
    // url and address), so Authorization cannot leak through them; the `[redacted]` censor
    // for req.headers.authorization has nothing to act on here.
    const requestLines = lines.filter((line) => line.req?.id === requestId);
    expect(requestLines.length).toBeGreaterThanOrEqual(2);
    for (const line of requestLines) {
      expect(Object.keys(line.req!).sort()).toEqual(['id', 'method', 'remoteAddress', 'url']);
    }
    const completed = requestLines.find((line) => line.res !== undefined);
    expect(completed?.res).toMatchObject({ statusCode: 500 });
  });

  it("npm start's entry point creates and migrates a missing database, becomes ready, says where it listens, and logs no secrets", async () => {
    const name = `dd_test_fresh_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const url = databaseUrl(name);
    databases.push(url);
    const port = await freePort();
    const app = spawnTypeScript(
      STANDALONE,
      environment(url, {
        PORT: String(port),
        HOST: '127.0.0.1',
        WORKER_HEARTBEAT_INTERVAL_MS: '1000',
      }),
    );
    children.push(app);
    const base = `http://127.0.0.1:${port}`;

    // Both halves of the quick start: the API is ready and its worker reports in.
    for (const check of ['/health/ready', '/health/worker']) {
      const deadline = Date.now() + 30_000;
      let last = 'no answer yet';
      for (;;) {
        if (app.child.exitCode !== null)
          throw new Error(`exited with ${app.child.exitCode}:\n${app.stderr()}`);
        if (Date.now() > deadline)
          throw new Error(`${check} not 200 within 30 s (last: ${last})\n${app.stderr()}`);
        try {
          const res = await fetch(`${base}${check}`);
          last = `${res.status} ${await res.text()}`;
          if (res.status === 200) break;
        } catch (error) {
          last = String((error as { cause?: unknown }).cause ?? error);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }

    const client = new pg.Client({ connectionString: databaseUrl('postgres') });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(exists.rowCount).toBe(1);
    } finally {
      await client.end();
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ count: string }>('SELECT count(*) FROM migrations');
      expect(Number(rows[0].count)).toBeGreaterThanOrEqual(1);
    } finally {
      await db.end();
    }

    // Requests carrying every kind of secret a log could catch.
    const signup = await fetch(`${base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantName: 'Quiet Logs Agency',
        name: 'Lea Wachter',
        email: 'quiet.logs@logs.example',
        password: 'Steppe-Caravan-Tashkent-2026',
      }),
    });
    expect(signup.status).toBe(201);
    const { accessToken, refreshToken } = (await signup.json()) as {
      accessToken: string;
      refreshToken: string;
    };
    const searchTerm = 'Zwetschgenbaum-Lüdenscheidt';
    const search = await fetch(
      `${base}/api/v1/contacts?q=${encodeURIComponent(searchTerm)}&limit=5`,
      { headers: { Authorization: `Bearer ${accessToken}` } },
    );
    expect(search.status).toBe(200);
    const apiKey = 'dd_0badc0de_Secret-Key-Material-4711';
    expect((await fetch(`${base}/api/v1/trips`, { headers: { 'X-API-Key': apiKey } })).status).toBe(
      401,
    );
    const linkToken = 'e3b0c442-98fc-4c14-9afb-f4c8996fb924.SIGNED-LINK-MAC-0815';
    expect((await fetch(`${base}/api/v1/public/invitations/${linkToken}`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/public/registrations/${linkToken}`)).status).toBe(404);

    const exit = await app.stop('SIGTERM', 10_000);
    expect(exit).toEqual({ code: 0, signal: null });

    const output = app.stdout() + app.stderr();
    for (const secret of [
      accessToken,
      refreshToken,
      searchTerm,
      encodeURIComponent(searchTerm),
      'Zwetschgenbaum',
      apiKey,
      'Secret-Key-Material',
      'SIGNED-LINK-MAC-0815',
      'Steppe-Caravan',
    ]) {
      expect(output).not.toContain(secret);
    }
    const lines = app
      .stdout()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);
    // Says where it listens and where the docs are.
    expect(lines.map((line) => line.msg)).toContain(
      `Delegation Desk API listening on ${base} (API docs: ${base}/api/docs)`,
    );
    // Request logs: the route with query and tokens masked, no headers, and a level that fits.
    const requests = lines.filter((line) => line.req !== undefined && line.res !== undefined);
    const byUrl = (fragment: string) =>
      requests.find((line) => String(line.req?.url).includes(fragment));
    expect(byUrl('/api/v1/contacts')).toMatchObject({
      level: 30,
      req: { url: '/api/v1/contacts?[query]' },
      res: { statusCode: 200 },
    });
    expect(byUrl('/api/v1/trips')).toMatchObject({ level: 40, res: { statusCode: 401 } });
    expect(byUrl('/public/invitations/')).toMatchObject({
      level: 40,
      req: { url: '/api/v1/public/invitations/[token]' },
    });
    expect(byUrl('/public/registrations/')?.req?.url).toBe('/api/v1/public/registrations/[token]');
    for (const line of requests) {
      expect(Object.keys(line.req!).sort()).toEqual(['id', 'method', 'remoteAddress', 'url']);
      // Response headers stay out too: a Location can carry a self-service token.
      expect(Object.keys(line.res!)).toEqual(['statusCode']);
    }
  }, 90_000);
});
