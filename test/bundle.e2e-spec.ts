import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { loadConfig } from '../src/config/app-config.js';
import { bufferParser } from './support/api.js';
import { compileWithSwaggerPlugin } from './support/compile.js';
import { createTestDatabase, dropDatabase } from './support/databases.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { addContacts, openTrip } from './support/messaging.js';
import { SmtpSink } from './support/smtp-sink.js';
import { deleteRedisKeys, freePort, ROOT, spawnNode, type Spawned } from './support/spawn.js';
import type { TestApp } from './support/test-app.js';

const run = promisify(execFile);
const REDIS_URL = loadConfig({ REDIS_URL: process.env.REDIS_URL }).REDIS_URL;

/**
 * What production runs (issue 21): the API and the worker bundled by
 * scripts/bundle.mjs, started as processes. The other suites run the
 * sources; this one checks what bundling could break: our files found
 * beside the code (the password list, the pages' stylesheet), packages
 * kept outside the bundle (argon2's binary, Swagger UI's assets, pdfkit's
 * fonts, BullMQ) and packages that must exist once (class-transformer,
 * whose metadata nested request bodies need).
 */
describe('the bundled processes', () => {
  const out = join(ROOT, 'var', `bundle-test-${process.pid}-${Date.now()}`);
  const prefix = `dd-test:bundle:${randomUUID().slice(0, 8)}`;
  /** The single process's own queues and worker heartbeats, apart from the other worker's. */
  const standalonePrefix = `${prefix}:standalone`;
  const sink = new SmtpSink();
  const processes: Spawned[] = [];
  let databaseUrl: string;
  let base: string;
  /** The helpers of the other suites, talking to the bundled API over HTTP. */
  let remote: TestApp;
  let agency: Agency;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    compileWithSwaggerPlugin(out);
    await run(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), out], { cwd: ROOT });
    databaseUrl = await createTestDatabase();
    await sink.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: prefix,
      SMTP_URL: sink.url,
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      LOG_LEVEL: 'warn',
    };
    const api = spawnNode([join(out, 'bundle/api.js')], env);
    const worker = spawnNode([join(out, 'bundle/worker.js')], env);
    processes.push(api, worker);
    await untilOk(api, `${base}/health/ready`);
    remote = { http: () => request(base) } as unknown as TestApp;
    agency = await signUpAgency(remote);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop('SIGTERM', 15_000)));
    await sink.stop();
    await dropDatabase(databaseUrl);
    await deleteRedisKeys(prefix, REDIS_URL); // the single process's keys too
    await rm(out, { recursive: true, force: true });
  });

  /** Polls `url` until it answers 200; fails with the process's output if it exits first. */
  async function untilOk(child: Spawned, url: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.child.exitCode !== null) throw new Error(`the process exited:\n${child.stderr()}`);
      const status = await fetch(url).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline) {
        throw new Error(`${url} answered ${status}, not 200, for 30 s:\n${child.stdout()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('serves the API documentation with its Swagger UI assets, and the pages’ stylesheet', async () => {
    const docs = await fetch(`${base}/api/docs`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('swagger-ui');
    const script = html.match(/src="([^"]*swagger-ui-bundle\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script!, `${base}/api/docs/`));
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(100_000);

    // The contract as committed: its schemas are named after our DTO classes, whose names
    // the bundle must keep.
    const document = await fetch(`${base}/api/openapi.json`);
    const committed: unknown = JSON.parse(await readFile(join(ROOT, 'openapi.json'), 'utf8'));
    expect(await document.json()).toEqual(committed);

    const css = await fetch(`${base}/assets/pages.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toMatch(/font-family/);
  });

  it('refuses a password from the list of common ones and signs in with a good one (argon2)', async () => {
    const weak = await remote
      .http()
      .post('/api/v1/auth/signup')
      .send({
        tenantName: 'Weak Passwords GmbH',
        name: 'Peter Weak',
        email: `weak-${randomUUID().slice(0, 8)}@example.de`,
        password: 'password1234',
      });
    expect(weak.status).toBe(400);
    expect(JSON.stringify(weak.body)).toMatch(/common/i);

    const login = await remote
      .http()
      .post('/api/v1/auth/login')
      .send({ email: agency.owner.email, password: agency.owner.password });
    expect(login.status).toBe(200);
    expect(login.body).toHaveProperty('accessToken');
  });

  it('validates nested request bodies member by member', async () => {
    const response = await remote
      .http()
      .post('/api/v1/agreements')
      .set(bearer(agency.owner.accessToken))
      .send({
        title: 'Memorandum of Understanding',
        kind: 'mou',
        category: 'business',
        parties: [{ organisationId: 'not-an-id' }],
      });
    expect(response.status).toBe(400);
    const fields = (response.body as { errors: { field: string }[] }).errors.map(
      (error) => error.field,
    );
    expect(fields).toContain('parties[0].organisationId');
  });

  it('the bundled worker delivers an invitation, and the trip report renders as PDF', async () => {
    const trip = await openTrip(remote, agency);
    const [contact] = await addContacts(remote, agency, 1);
    await remote
      .http()
      .post(`/api/v1/trips/${trip.id}/invitations`)
      .set(bearer(agency.owner.accessToken))
      .send({ contactIds: [contact.id] })
      .expect(200);
    const mail = await sink.waitFor(
      (message) => (message.subject ?? '').includes(trip.title),
      20_000,
    );
    expect(JSON.stringify(mail.to)).toContain(contact.email);
    expect(mail.html).toContain(`${base}/`);

    const report = await remote
      .http()
      .get(`/api/v1/trips/${trip.id}/report`)
      .query({ format: 'pdf' })
      .set(bearer(agency.owner.accessToken))
      .buffer(true)
      .parse(bufferParser);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('application/pdf');
    expect((report.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('npm start’s single process (API and worker in one) answers and reports its worker', async () => {
    const port = await freePort();
    const standalone = spawnNode([join(out, 'bundle/standalone.js')], {
      ...env,
      REDIS_PREFIX: standalonePrefix,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'info',
    });
    processes.push(standalone);
    await untilOk(standalone, `http://127.0.0.1:${port}/health/ready`);
    await untilOk(standalone, `http://127.0.0.1:${port}/health/worker`);
    expect(standalone.stdout()).toMatch(new RegExp(`API listening on http://[^ ]+:${port}`));
    expect(await standalone.stop('SIGTERM', 15_000)).toEqual({ code: 0, signal: null });
  });
});
