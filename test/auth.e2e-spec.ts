import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { canonicalJson } from '../src/common/idempotency/idempotency.service.js';
import { AuthService } from '../src/modules/identity/auth.service.js';
import { JobName } from '../src/queue/jobs.js';
import { Queues } from '../src/queue/queues.js';
import {
  addApiKey,
  addStaff,
  bearer,
  login,
  PASSWORD,
  signUpAgency,
  uniqueEmail,
  type Agency,
  type Session,
} from './support/identity.js';
import { runCli } from './support/cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

/**
 * Sign-up, sign-in, tokens and sessions, through HTTP against real
 * PostgreSQL and Redis with the default limits and argon2id settings.
 */
describe('authentication', () => {
  let t: TestApp;
  let agency: Agency;

  beforeAll(async () => {
    t = await startTestApp();
    agency = await signUpAgency(t, { tenantName: 'Thüringen International' });
  });

  afterAll(() => t.close());

  const me = (token: string) => t.http().get('/api/v1/me').set(bearer(token));
  const refresh = (refreshToken: string) =>
    t.http().post('/api/v1/auth/refresh').send({ refreshToken });
  const auditActions = async (token: string, query: Record<string, string> = {}) => {
    const response = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ limit: 200, ...query })
      .set(bearer(token))
      .expect(200);
    return (response.body as { items: { action: string; entityId: string }[] }).items;
  };

  describe('sign-up', () => {
    it('creates an agency with its owner, signed in', async () => {
      const email = uniqueEmail('founder');
      const response = await t
        .http()
        .post('/api/v1/auth/signup')
        .send({
          tenantName: 'Sächsische Außenwirtschaft',
          name: 'Jana Krüger',
          email,
          password: PASSWORD,
        })
        .expect(201);
      const tokens = response.body as Session & { expiresIn: number; tokenType: string };
      expect(tokens.accessToken.split('.')).toHaveLength(3);
      expect(tokens.refreshToken).toMatch(/^ddr_[A-Za-z0-9_-]{43}$/);
      expect(tokens).toMatchObject({ expiresIn: 900, tokenType: 'Bearer' });

      const profile = await me(tokens.accessToken).expect(200);
      expect(profile.body).toMatchObject({
        email,
        name: 'Jana Krüger',
        role: 'owner',
        active: true,
        tenant: { name: 'Sächsische Außenwirtschaft', slug: 'sachsische-aussenwirtschaft' },
      });
      expect(profile.headers.etag).toMatch(/^"\d+"$/);
      const actions = await auditActions(tokens.accessToken);
      expect(actions.map((event) => event.action)).toEqual(
        expect.arrayContaining(['tenant.created', 'user.created']),
      );
    });

    it('gives a second agency of the same name its own slug', async () => {
      const second = await signUpAgency(t, { tenantName: 'Thüringen International' });
      const profile = await me(second.owner.accessToken).expect(200);
      expect(profile.body.tenant.slug).toMatch(/^thuringen-international-[0-9a-f]{8}$/);
      expect(second.tenantId).not.toBe(agency.tenantId);
    });

    it('refuses an email already in use, in any letter case, and creates nothing', async () => {
      const tenantsBefore = await count('tenants');
      const response = await t
        .http()
        .post('/api/v1/auth/signup')
        .send({
          tenantName: 'Copycat GmbH',
          name: 'Someone Else',
          email: agency.owner.email.toUpperCase(),
          password: PASSWORD,
        })
        .expect(409);
      expect(response.body).toMatchObject({ code: 'email_taken' });
      expect(await count('tenants')).toBe(tenantsBefore);
    });

    it.each([
      ['Short-pw-1', 'at least 12 characters'],
      ['password1234', 'most commonly used passwords'],
      ['Password1234', 'most commonly used passwords'],
      ['qwertyuiopasdfgh', 'most commonly used passwords'],
    ])('refuses the password %p, saying why', async (password, reason) => {
      const response = await t
        .http()
        .post('/api/v1/auth/signup')
        .send({ tenantName: 'Weak Agency', name: 'Weak', email: uniqueEmail(), password })
        .expect(400);
      const problem = response.body as Problem;
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors).toEqual([
        { field: 'password', message: expect.stringContaining(reason) as string },
      ]);
    });

    it('lists every invalid field, including unknown ones', async () => {
      const response = await t
        .http()
        .post('/api/v1/auth/signup')
        .send({
          tenantName: '',
          name: 'X',
          email: 'not-an-email',
          password: PASSWORD,
          role: 'owner',
        })
        .expect(400);
      const fields = (response.body as Problem).errors?.map((error) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['tenantName', 'email', 'role']));
    });
  });

  describe('login', () => {
    it('returns tokens and records the sign-in, without changing the user’s ETag', async () => {
      const etagBefore = (await me(agency.owner.accessToken).expect(200)).headers.etag;
      const tokens = await login(t, agency.owner.email.toUpperCase());
      const profile = await me(tokens.accessToken).expect(200);
      expect(profile.headers.etag).toBe(etagBefore);
      expect(Date.parse(profile.body.lastLoginAt as string)).toBeGreaterThan(Date.now() - 60_000);
      const actions = await auditActions(tokens.accessToken, { action: 'auth.login_succeeded' });
      expect(actions.length).toBeGreaterThanOrEqual(1);
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const wrong = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: agency.owner.email, password: 'not the password at all' })
        .expect(401);
      const unknown = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('nobody'), password: 'not the password at all' })
        .expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
      expect(wrong.headers['www-authenticate']).toMatch(/^Bearer/);
      const failures = await auditActions(agency.owner.accessToken, {
        action: 'auth.login_failed',
      });
      expect(failures.some((event) => event.entityId === agency.owner.id)).toBe(true);
    });

    it('refuses a malformed body with 400 before checking anything', async () => {
      const response = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: agency.owner.email, password: PASSWORD, tenant: 'x' })
        .expect(400);
      expect((response.body as Problem).errors).toEqual([
        { field: 'tenant', message: 'is not an allowed field' },
      ]);
      await t.http().post('/api/v1/auth/login').send({ email: agency.owner.email }).expect(400);
    });

    it('accepts an email with stray spaces and another letter case, as sign-up did', async () => {
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: `  ${agency.owner.email.toUpperCase()} `, password: PASSWORD })
        .expect(200);
    });

    it('a sign-in racing a password change or a deactivation cannot outlive it', async () => {
      const racer = await signUpAgency(t, { tenantName: 'Racing Agency' });
      const auth = t.app.get(AuthService);
      const origin = { requestId: 'race', ip: '127.0.0.1' };

      // The password was checked, then changed before the session was made.
      const checked = await auth.checkPassword(racer.owner.email, PASSWORD, origin);
      await t
        .http()
        .post('/api/v1/me/password')
        .set(bearer(racer.owner.accessToken))
        .send({ currentPassword: PASSWORD, newPassword: 'Nomad-Yurt-Almaty-77' })
        .expect(204);
      await expect(auth.login(checked, origin)).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      // ...and the old hash was not written back: the old password stays dead.
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: racer.owner.email, password: PASSWORD })
        .expect(401);

      // The same with a deactivation in between.
      const colleague = await addStaff(t, racer, 'organiser');
      const checkedColleague = await auth.checkPassword(colleague.email, PASSWORD, origin);
      await t
        .http()
        .post(`/api/v1/users/${colleague.id}/deactivate`)
        .set(bearer(racer.owner.accessToken))
        .expect(200);
      await expect(auth.login(checkedColleague, origin)).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    });

    it('ignores X-Forwarded-For from a proxy it does not trust', async () => {
      await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '198.51.100.7')
        .send({ email: agency.owner.email, password: PASSWORD })
        .expect(200);
      const events = await t
        .http()
        .get('/api/v1/audit-events')
        .query({ action: 'auth.login_succeeded', limit: 1 })
        .set(bearer(agency.owner.accessToken))
        .expect(200);
      expect(events.body.items[0]).toMatchObject({ ip: '127.0.0.1' });
    });

    it('answers 429 with Retry-After one attempt past 10 failures, even with the right password', async () => {
      const target = await signUpAgency(t, { tenantName: 'Brute Force Target' });
      for (let attempt = 1; attempt <= 10; attempt++) {
        await t
          .http()
          .post('/api/v1/auth/login')
          .send({ email: target.owner.email, password: `wrong guess number ${attempt}` })
          .expect(401);
      }
      const blocked = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: target.owner.email, password: PASSWORD })
        .expect(429);
      expect(blocked.body).toMatchObject({ code: 'rate_limited' });
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      // The limit is per account: others still sign in from the same address.
      await login(t, agency.owner.email);
    });
  });

  describe('access tokens', () => {
    const claims = () => ({ sub: agency.owner.id, tid: agency.tenantId, sid: sessionId() });
    const sign = (payload: object, options: jwt.SignOptions = {}, secret = t.config.JWT_SECRET) =>
      jwt.sign(payload, secret, {
        algorithm: 'HS256',
        issuer: t.config.JWT_ISSUER,
        audience: t.config.JWT_AUDIENCE,
        expiresIn: 600,
        ...options,
      });
    const sessionId = () =>
      (jwt.decode(agency.owner.accessToken) as { sid: string } | null)?.sid ?? '';
    const unsigned = (payload: object) =>
      [
        Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'),
        Buffer.from(
          JSON.stringify({
            ...payload,
            iss: t.config.JWT_ISSUER,
            aud: t.config.JWT_AUDIENCE,
            exp: Math.floor(Date.now() / 1000) + 600,
          }),
        ).toString('base64url'),
        '',
      ].join('.');

    it('accepts a correctly made token (the control for the cases below)', async () => {
      await me(sign(claims())).expect(200);
    });

    it('refuses a token it accepted before once that token expires (token_expired)', async () => {
      // Expires 1–2 s from now (whole seconds); each process remembers tokens it verified.
      const token = sign(claims(), { expiresIn: 2 });
      await me(token).expect(200);
      await me(token).expect(200);
      const expiry = (jwt.decode(token) as { exp: number }).exp * 1000;
      await new Promise((resolve) => setTimeout(resolve, expiry - Date.now() + 50));
      const response = await me(token).expect(401);
      expect(response.body).toMatchObject({ status: 401, code: 'token_expired' });
    });

    it('takes the scheme in any letter case, as HTTP says', async () => {
      await t
        .http()
        .get('/api/v1/me')
        .set({ Authorization: `bearer ${sign(claims())}` })
        .expect(200);
    });

    it.each<[string, () => Record<string, string>, string]>([
      ['missing', () => ({}), 'authentication_required'],
      ['malformed', () => bearer('not.a.jwt'), 'invalid_token'],
      ['not a bearer token', () => ({ Authorization: 'Basic dXNlcjpwYXNz' }), 'invalid_token'],
      ['absent after the scheme', () => ({ Authorization: 'Bearer' }), 'invalid_token'],
      ['not valid yet', () => bearer(sign(claims(), { notBefore: 600 })), 'invalid_token'],
      ['expired', () => bearer(sign(claims(), { expiresIn: -5 })), 'token_expired'],
      [
        'signed with another secret',
        () => bearer(sign(claims(), {}, 'another-secret-that-is-long-enough-1234')),
        'invalid_token',
      ],
      ['alg none', () => bearer(unsigned(claims())), 'invalid_token'],
      [
        'signed with a disallowed algorithm',
        () => bearer(sign(claims(), { algorithm: 'HS512' })),
        'invalid_token',
      ],
      [
        'for another audience',
        () => bearer(sign(claims(), { audience: 'some-other-api' })),
        'invalid_token',
      ],
      [
        'from another issuer',
        () => bearer(sign(claims(), { issuer: 'evil-issuer' })),
        'invalid_token',
      ],
      [
        'for a session that does not exist',
        () => bearer(sign({ ...claims(), sid: '00000000-0000-4000-8000-000000000000' })),
        'session_ended',
      ],
      ['without the claims we issue', () => bearer(sign({ sub: 'root' })), 'invalid_token'],
    ])('refuses a token that is %s with 401', async (_, headers, code) => {
      const response = await t.http().get('/api/v1/me').set(headers()).expect(401);
      expect(response.body).toMatchObject({ status: 401, code });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    });
  });

  describe('refresh tokens', () => {
    it('rotate: each refresh returns a new pair and the new access token works', async () => {
      const first = await login(t, agency.owner.email);
      const second = (await refresh(first.refreshToken).expect(200)).body as Session;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await me(second.accessToken).expect(200);
      const third = (await refresh(second.refreshToken).expect(200)).body as Session;
      await me(third.accessToken).expect(200);
    });

    it('reuse of a used refresh token ends the whole session', async () => {
      const first = await login(t, agency.owner.email);
      const second = (await refresh(first.refreshToken).expect(200)).body as Session;

      const reuse = await refresh(first.refreshToken).expect(401);
      expect(reuse.body).toMatchObject({ code: 'refresh_token_reused' });
      // The family is gone: the newest refresh token and its access token no longer work.
      expect((await refresh(second.refreshToken).expect(401)).body).toMatchObject({
        code: 'invalid_refresh_token',
      });
      expect((await me(second.accessToken).expect(401)).body).toMatchObject({
        code: 'session_ended',
      });
      // Other sessions of the same user are untouched.
      await me(agency.owner.accessToken).expect(200);
      const actions = await auditActions(agency.owner.accessToken, {
        action: 'auth.refresh_token_reused',
      });
      expect(actions).toHaveLength(1);
    });

    it('lets only one of two simultaneous refreshes with the same token through', async () => {
      const session = await login(t, agency.owner.email);
      const statuses = (
        await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)])
      ).map((response) => response.status);
      expect(statuses.sort()).toEqual([200, 401]);
    });

    it('refuses an unknown refresh token', async () => {
      const response = await refresh('ddr_made-up-token').expect(401);
      expect(response.body).toMatchObject({ code: 'invalid_refresh_token' });
    });
  });

  describe('housekeeping', () => {
    it('the worker purges expired refresh tokens and their sessions, and nothing live', async () => {
      const stale = await login(t, agency.owner.email);
      const live = await login(t, agency.owner.email);
      const staleSession = (jwt.decode(stale.accessToken) as { sid: string }).sid;
      await t.dataSource.query(
        `UPDATE refresh_tokens SET expires_at = now() - interval '2 days' WHERE session_id = $1`,
        [staleSession],
      );
      await t.dataSource.query(
        `UPDATE sessions SET created_at = now() - interval '40 days' WHERE id = $1`,
        [staleSession],
      );

      // The worker runs the purge on start (it is scheduled hourly) and again on demand.
      await t.startWorker();
      await t.app.get(Queues).enqueueAndWait(JobName.SystemPurgeExpiredSessions, {}, 10_000);
      await t.stopWorker();

      const left = await t.dataSource.query<{ n: number }[]>(
        `SELECT (SELECT count(*) FROM sessions WHERE id = $1)::int
              + (SELECT count(*) FROM refresh_tokens WHERE session_id = $1)::int AS n`,
        [staleSession],
      );
      expect(left).toEqual([{ n: 0 }]);
      await me(stale.accessToken).expect(401);
      await refresh(live.refreshToken).expect(200);
    });
  });

  describe('lists', () => {
    it('refuses a day that does not exist and an id that is not a UUID, naming the field', async () => {
      const since = await t
        .http()
        .get('/api/v1/audit-events')
        .query({ updatedSince: '2026-02-30' })
        .set(bearer(agency.owner.accessToken))
        .expect(400);
      expect((since.body as Problem).errors?.map((error) => error.field)).toEqual(['updatedSince']);
      const id = await t
        .http()
        .get('/api/v1/users/not-a-uuid')
        .set(bearer(agency.owner.accessToken))
        .expect(400);
      expect(id.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'id', message: 'must be a UUID' }],
      });
    });

    it('refuses a hand-made cursor with values of the wrong type with 400, not 500', async () => {
      const forged = Buffer.from(
        JSON.stringify({ s: 'at,id:DESC', v: ['not-a-time', 'x'] }),
      ).toString('base64url');
      const response = await t
        .http()
        .get('/api/v1/audit-events')
        .query({ cursor: forged })
        .set(bearer(agency.owner.accessToken))
        .expect(400);
      expect((response.body as Problem).errors).toEqual([
        { field: 'cursor', message: 'is not a cursor from this listing' },
      ]);
    });
  });

  describe('logout', () => {
    it('ends the session at once, and only that session', async () => {
      const laptop = await login(t, agency.owner.email);
      const phone = await login(t, agency.owner.email);
      await t
        .http()
        .post('/api/v1/auth/logout')
        .send({ refreshToken: laptop.refreshToken })
        .expect(204);
      expect((await me(laptop.accessToken).expect(401)).body).toMatchObject({
        code: 'session_ended',
      });
      await refresh(laptop.refreshToken).expect(401);
      await me(phone.accessToken).expect(200);
      // Signing out twice is harmless.
      await t
        .http()
        .post('/api/v1/auth/logout')
        .send({ refreshToken: laptop.refreshToken })
        .expect(204);
    });
  });

  describe('changing one’s password', () => {
    it('requires the current password and a strong new one, then ends the other sessions', async () => {
      const owner = await signUpAgency(t, { tenantName: 'Password Changers' });
      const other = await login(t, owner.owner.email);
      const change = (body: object) =>
        t.http().post('/api/v1/me/password').set(bearer(owner.owner.accessToken)).send(body);

      const wrong = await change({
        currentPassword: 'not my password',
        newPassword: 'Nomad-Yurt-Almaty-77',
      });
      expect(wrong.status).toBe(400);
      expect((wrong.body as Problem).errors).toEqual([
        { field: 'currentPassword', message: 'is not your current password' },
      ]);
      const weak = await change({ currentPassword: PASSWORD, newPassword: 'password1234' });
      expect(weak.status).toBe(400);
      expect((weak.body as Problem).errors?.[0]?.field).toBe('newPassword');

      await change({ currentPassword: PASSWORD, newPassword: 'Nomad-Yurt-Almaty-77' }).expect(204);
      await me(owner.owner.accessToken).expect(200);
      await me(other.accessToken).expect(401);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: owner.owner.email, password: PASSWORD })
        .expect(401);
      await login(t, owner.owner.email, 'Nomad-Yurt-Almaty-77');
    });
  });

  describe('what is stored', () => {
    it('hashes passwords with argon2id at m >= 19456 KiB, t >= 2, p >= 1', async () => {
      const rows: { password_hash: string }[] = await t.dataSource.query(
        'SELECT password_hash FROM users',
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { password_hash: hash } of rows) {
        const match = /^\$argon2id\$v=19\$([^$]+)\$/.exec(hash);
        expect(match).not.toBeNull();
        const params = Object.fromEntries(
          (match?.[1] ?? '').split(',').map((pair) => pair.split('=').map(String)),
        ) as Record<string, string>;
        expect(Number(params.m)).toBeGreaterThanOrEqual(19456);
        expect(Number(params.t)).toBeGreaterThanOrEqual(2);
        expect(Number(params.p)).toBeGreaterThanOrEqual(1);
      }
    });

    it('keeps no refresh token, API key or password in plaintext anywhere in the database', async () => {
      const session = (
        await t
          .http()
          .post('/api/v1/auth/login')
          .set('Idempotency-Key', 'login-once')
          .send({ email: agency.owner.email, password: PASSWORD })
          .expect(200)
      ).body as Session;
      const rotated = (await refresh(session.refreshToken).expect(200)).body as Session;
      const apiKey = await addApiKey(t, agency, ['trips:read']);
      const secretPart = apiKey.key.slice(apiKey.prefix.length + 1);
      // A retry-safe user creation: its request fingerprint must not be a fast hash of the password.
      const newUser = {
        email: uniqueEmail('idem'),
        name: 'Idem',
        role: 'viewer',
        password: PASSWORD,
      };
      await t
        .http()
        .post('/api/v1/users')
        .set(bearer(agency.owner.accessToken))
        .set('Idempotency-Key', 'create-idem-user')
        .send(newUser)
        .expect(201);
      const plainFingerprint = createHash('sha256')
        .update(`POST /api/v1/users\n${canonicalJson(newUser)}`)
        .digest('hex');

      const everything = await dumpDatabase();
      expect(await count('idempotency_keys')).toBe(1);
      for (const secret of [
        plainFingerprint,
        session.refreshToken,
        rotated.refreshToken,
        apiKey.key,
        secretPart,
        PASSWORD,
      ]) {
        expect(everything).not.toContain(secret);
      }
      expect(everything).toContain(apiKey.prefix);
    });
  });

  describe('the create-tenant command', () => {
    it('creates an agency and owner who can sign in with the printed password', async () => {
      const email = uniqueEmail('cli-owner');
      const cli = spawnCli([
        'create-tenant',
        '--name',
        'Bayern International',
        '--owner-name',
        'Max Huber',
        '--owner-email',
        email,
      ]);
      const exit = await cli.exited;
      expect(exit.code).toBe(0);
      const password = /Password: (\S+)/.exec(cli.stdout())?.[1];
      expect(password).toBeDefined();
      expect(cli.stdout()).toContain('slug bayern-international');
      const tokens = await login(t, email, password);
      expect((await me(tokens.accessToken).expect(200)).body).toMatchObject({
        role: 'owner',
        tenant: { name: 'Bayern International' },
      });
    });

    it('refuses bad input, naming the option, and creates nothing', async () => {
      const tenantsBefore = await count('tenants');
      const cli = spawnCli([
        'create-tenant',
        '--name',
        'Broken',
        '--owner-name',
        'X',
        '--owner-email',
        'not-an-email',
        '--password',
        'password1234',
      ]);
      const exit = await cli.exited;
      expect(exit.code).toBe(1);
      expect(cli.stderr()).toContain('--owner-email');
      expect(cli.stderr()).toContain('--password');
      expect(await count('tenants')).toBe(tenantsBefore);
    });
  });

  function spawnCli(args: string[]) {
    return runCli(t, args);
  }

  async function count(table: string): Promise<number> {
    const [row] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${table}`,
    );
    return row?.n ?? 0;
  }

  /** Every row of every table, as text. */
  async function dumpDatabase(): Promise<string> {
    const tables = await t.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const dumps = await Promise.all(
      tables.map(async ({ table_name: table }) => {
        const rows = await t.dataSource.query<{ row: string }[]>(
          `SELECT t::text AS row FROM "${table}" t`,
        );
        return rows.map((row) => row.row).join('\n');
      }),
    );
    return dumps.join('\n');
  }
});

/**
 * Limits and switches that need their own settings. The API trusts
 * X-Forwarded-For here, so each test comes from its own address.
 */
describe('authentication limits and switches', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      config: {
        TRUST_PROXY: ['loopback'],
        RATE_LIMIT_SIGNUP_PER_HOUR: 3,
        RATE_LIMIT_REFRESH_PER_MINUTE: 5,
        RATE_LIMIT_LOGIN_FAILURES_PER_IP: 4,
      },
    });
  });

  afterAll(() => t.close());

  it('answers 429 with Retry-After one sign-up past the hourly limit of an address', async () => {
    for (let i = 0; i < 3; i++) {
      await signUpAgency(t, { tenantName: `Agency ${i}`, forwardedFor: '203.0.113.10' });
    }
    const signup = () =>
      t
        .http()
        .post('/api/v1/auth/signup')
        .send({ tenantName: 'One Too Many', name: 'X', email: uniqueEmail(), password: PASSWORD });
    const response = await signup().set('X-Forwarded-For', '203.0.113.10').expect(429);
    expect(response.body).toMatchObject({ code: 'rate_limited' });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // Another address is not affected.
    await signup().set('X-Forwarded-For', '203.0.113.11').expect(201);
  });

  it('answers 429 one refresh past the per-minute limit of an address', async () => {
    const agency = await signUpAgency(t, { forwardedFor: '203.0.113.20' });
    let refreshToken = agency.owner.refreshToken;
    const refresh = () =>
      t
        .http()
        .post('/api/v1/auth/refresh')
        .set('X-Forwarded-For', '203.0.113.21')
        .send({ refreshToken });
    for (let i = 0; i < 5; i++) {
      refreshToken = ((await refresh().expect(200)).body as Session).refreshToken;
    }
    const blocked = await refresh().expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('answers 429 once an address has used up its failed logins, whatever the account', async () => {
    const attempt = () =>
      t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '203.0.113.30')
        .send({ email: uniqueEmail('guess'), password: 'a wrong password' });
    for (let i = 0; i < 4; i++) await attempt().expect(401);
    const blocked = await attempt().expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses sign-up with 403 when it is switched off', async () => {
    const closed = await startTestApp({ config: { SIGNUP_ENABLED: false } });
    try {
      // Switched off means switched off, whatever the body.
      await closed.http().post('/api/v1/auth/signup').send({}).expect(403);
      const response = await closed
        .http()
        .post('/api/v1/auth/signup')
        .send({ tenantName: 'Closed', name: 'X', email: uniqueEmail(), password: PASSWORD })
        .expect(403);
      expect(response.body).toMatchObject({ code: 'signup_disabled' });
    } finally {
      await closed.close();
    }
  });
});
