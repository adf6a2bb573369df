/**
 * Authentication without a database round trip (issue 21): an API process
 * remembers who a session or API key is, and forgets at once whatever can
 * take access away. Every test here makes the change through the API and
 * then asks again with the old credentials: the very next request must
 * already be refused (or see the new role). A second API process (a real
 * one, `src/main.ts` in a child process) on the same database and Redis
 * learns of the change through Redis.
 */
import {
  bearer,
  PASSWORD,
  signUpAgency,
  addApiKey,
  addStaff,
  type Agency,
} from './support/identity.js';
import { createTrip } from './support/factories.js';
import { eventually } from './support/messaging.js';
import { freePort, spawnTypeScript, type Spawned } from './support/spawn.js';
import { wireStatements } from './support/wire-statements.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('principal cache', () => {
  let t: TestApp;
  /** Another API process of the same installation: same database, same Redis prefix. */
  let other: Spawned;
  let otherBase: string;
  let agency: Agency;
  let tripPath: string;
  /** The SQL statements this process sends (the first app's). */
  const wire = wireStatements();

  beforeAll(async () => {
    t = await startTestApp();
    const port = await freePort();
    other = spawnTypeScript('src/main.ts', {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_PREFIX: t.config.REDIS_PREFIX,
      MAIL_DIR: t.config.MAIL_DIR,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    otherBase = `http://127.0.0.1:${port}`;
    agency = await signUpAgency(t);
    tripPath = `/api/v1/trips/${(await createTrip(t, agency)).id}`;
    await eventually(
      async () => (await fetch(`${otherBase}/health/live`).catch(() => null))?.status === 200,
      60_000,
      `the second API process to listen (${other.stderr()})`,
    );
  }, 90_000);

  afterAll(async () => {
    wire.restore();
    await other?.kill();
    await t?.close();
  });

  /** The statements one request runs, with its status. */
  async function traced(request: () => Promise<{ status: number }>) {
    wire.start();
    try {
      const { status } = await request();
      return { status, statements: wire.stop() };
    } finally {
      wire.stop();
    }
  }

  const readTrip = (headers: Record<string, string>) => t.http().get(tripPath).set(headers);
  /** The status the other process answers the same read with. */
  const otherReads = async (headers: Record<string, string>) =>
    (await fetch(otherBase + tripPath, { headers })).status;

  it('a session already seen reads a trip in one statement, without asking who it is', async () => {
    const staff = await addStaff(t, agency, 'viewer');
    const first = await traced(() => readTrip(bearer(staff.accessToken)));
    expect(first.status).toBe(200);
    expect(first.statements.some((sql) => /"sessions"/.test(sql))).toBe(true);
    const again = await traced(() => readTrip(bearer(staff.accessToken)));
    expect(again.status).toBe(200);
    expect(again.statements).toHaveLength(1);
    expect(again.statements[0]).toMatch(/FROM trips t/);
  });

  it('a deactivated user is refused on the very next request, in both processes', async () => {
    const staff = await addStaff(t, agency, 'organiser');
    await readTrip(bearer(staff.accessToken)).expect(200);
    expect(await otherReads(bearer(staff.accessToken))).toBe(200);
    await t
      .http()
      .post(`/api/v1/users/${staff.id}/deactivate`)
      .set(bearer(agency.owner.accessToken))
      .expect(200);
    const refused = await readTrip(bearer(staff.accessToken));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'session_ended' });
    await eventually(
      async () => (await otherReads(bearer(staff.accessToken))) === 401,
      2_000,
      'the other process refusing the deactivated user',
    );
  });

  it('a role change applies to the very next request', async () => {
    const staff = await addStaff(t, agency, 'organiser');
    const rename = () =>
      t
        .http()
        .patch(tripPath)
        .set(bearer(staff.accessToken))
        .send({ description: `Edited by ${staff.email}` });
    await rename().expect(200);
    await t
      .http()
      .patch(`/api/v1/users/${staff.id}`)
      .set(bearer(agency.owner.accessToken))
      .send({ role: 'viewer' })
      .expect(200);
    const refused = await rename();
    expect(refused.status).toBe(403);
    await readTrip(bearer(staff.accessToken)).expect(200);
  });

  it('signing out ends the access token at once', async () => {
    const staff = await addStaff(t, agency, 'viewer');
    await readTrip(bearer(staff.accessToken)).expect(200);
    await t
      .http()
      .post('/api/v1/auth/logout')
      .send({ refreshToken: staff.refreshToken })
      .expect(204);
    expect((await readTrip(bearer(staff.accessToken))).status).toBe(401);
  });

  it("a password change ends the user's other sessions at once", async () => {
    const staff = await addStaff(t, agency, 'viewer');
    const second = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: staff.email, password: PASSWORD })
      .expect(200);
    const otherSession = bearer((second.body as { accessToken: string }).accessToken);
    await readTrip(otherSession).expect(200);
    await t
      .http()
      .post('/api/v1/me/password')
      .set(bearer(staff.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'Caspian-Ferry-Aktau-2027' })
      .expect(204);
    expect((await readTrip(otherSession)).status).toBe(401);
    await readTrip(bearer(staff.accessToken)).expect(200);
  });

  it('an API key is remembered, recorded as used once, and refused at once when revoked', async () => {
    const { id, key } = await addApiKey(t, agency, ['trips:read']);
    const headers = { 'X-API-Key': key };
    const first = await traced(() => readTrip(headers));
    expect(first.status).toBe(200);
    expect(first.statements.some((sql) => /api_keys/.test(sql))).toBe(true);
    const again = await traced(() => readTrip(headers));
    expect(again.status).toBe(200);
    expect(again.statements).toHaveLength(1);
    const listed = await t
      .http()
      .get(`/api/v1/api-keys/${id}`)
      .set(bearer(agency.owner.accessToken))
      .expect(200);
    expect((listed.body as { lastUsedAt: string | null }).lastUsedAt).not.toBeNull();

    expect(await otherReads(headers)).toBe(200);
    await t
      .http()
      .delete(`/api/v1/api-keys/${id}`)
      .set(bearer(agency.owner.accessToken))
      .expect(204);
    const refused = await readTrip(headers);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'invalid_api_key' });
    await eventually(
      async () => (await otherReads(headers)) === 401,
      2_000,
      'the other process refusing the revoked key',
    );
  });

  it("one agency's changes leave another agency's sessions remembered", async () => {
    const neighbour = await signUpAgency(t);
    const neighbourTrip = `/api/v1/trips/${(await createTrip(t, neighbour)).id}`;
    const read = () => t.http().get(neighbourTrip).set(bearer(neighbour.owner.accessToken));
    await read().expect(200);
    const staff = await addStaff(t, agency, 'viewer');
    await t
      .http()
      .post(`/api/v1/users/${staff.id}/deactivate`)
      .set(bearer(agency.owner.accessToken))
      .expect(200);
    const after = await traced(read);
    expect(after.status).toBe(200);
    expect(after.statements).toHaveLength(1);
  });
});
