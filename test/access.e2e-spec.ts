import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentActor, type Actor } from '../src/modules/identity/access/actor.js';
import { Requires } from '../src/modules/identity/access/permissions.js';
import { SCOPES, type Role, type Scope } from '../src/modules/identity/roles.js';
import {
  addApiKey,
  addStaff,
  bearer,
  login,
  PASSWORD,
  signUpAgency,
  uniqueEmail,
  type Agency,
  type Staff,
} from './support/identity.js';
import { expectProblem } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const whoIs = (actor: Actor) => ({ actor: actor.kind, id: actor.id, tenantId: actor.tenantId });

/** Test-only routes, one per permission under test: no domain route takes API keys yet. */
@Controller('probe-access')
class ProbeAccessController {
  @Get('trips')
  @Requires('trips:read')
  readTrips(@CurrentActor() actor: Actor) {
    return whoIs(actor);
  }

  @Post('trips')
  @Requires('trips:write')
  @HttpCode(200)
  writeTrips(@CurrentActor() actor: Actor) {
    return whoIs(actor);
  }

  @Get('passports')
  @Requires('pii:read')
  readPassports(@CurrentActor() actor: Actor) {
    return whoIs(actor);
  }

  @Get('webhooks')
  @Requires('webhooks:read')
  readWebhooks(@CurrentActor() actor: Actor) {
    return whoIs(actor);
  }

  @Post('webhooks')
  @Requires('webhooks:write')
  @HttpCode(200)
  writeWebhooks(@CurrentActor() actor: Actor) {
    return whoIs(actor);
  }
}

const PROBES = {
  'GET trips': { method: 'get', path: '/probe-access/trips' },
  'POST trips': { method: 'post', path: '/probe-access/trips' },
  'GET passports': { method: 'get', path: '/probe-access/passports' },
  'GET webhooks': { method: 'get', path: '/probe-access/webhooks' },
  'POST webhooks': { method: 'post', path: '/probe-access/webhooks' },
} as const;
type ProbeName = keyof typeof PROBES;

type Method = 'get' | 'post' | 'patch' | 'delete';
type Headers = Record<string, string>;

interface UserBody {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  active: boolean;
  version: number;
}

interface ApiKeyBody {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  status: 'active' | 'expired' | 'revoked';
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  version: number;
}

interface AuditEventBody {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
}

/** Who may do what, as the product promises it: one row per role and permission. */
const ROLE_MATRIX: { role: Role; probe: ProbeName; status: 200 | 403 }[] = [
  { role: 'owner', probe: 'GET trips', status: 200 },
  { role: 'admin', probe: 'GET trips', status: 200 },
  { role: 'organiser', probe: 'GET trips', status: 200 },
  { role: 'viewer', probe: 'GET trips', status: 200 },
  { role: 'owner', probe: 'POST trips', status: 200 },
  { role: 'admin', probe: 'POST trips', status: 200 },
  { role: 'organiser', probe: 'POST trips', status: 200 },
  { role: 'viewer', probe: 'POST trips', status: 403 },
  { role: 'owner', probe: 'GET passports', status: 200 },
  { role: 'admin', probe: 'GET passports', status: 200 },
  { role: 'organiser', probe: 'GET passports', status: 200 },
  { role: 'viewer', probe: 'GET passports', status: 403 },
  { role: 'owner', probe: 'GET webhooks', status: 200 },
  { role: 'admin', probe: 'GET webhooks', status: 200 },
  { role: 'organiser', probe: 'GET webhooks', status: 403 },
  { role: 'viewer', probe: 'GET webhooks', status: 403 },
  { role: 'owner', probe: 'POST webhooks', status: 200 },
  { role: 'admin', probe: 'POST webhooks', status: 200 },
  { role: 'organiser', probe: 'POST webhooks', status: 403 },
  { role: 'viewer', probe: 'POST webhooks', status: 403 },
];

/** What a key with one scope may do: write implies read, and nothing else is implied. */
const SCOPE_MATRIX: { scope: Scope; probe: ProbeName; status: 200 | 403 }[] = [
  { scope: 'trips:read', probe: 'GET trips', status: 200 },
  { scope: 'trips:read', probe: 'POST trips', status: 403 },
  { scope: 'trips:read', probe: 'GET passports', status: 403 },
  { scope: 'trips:read', probe: 'GET webhooks', status: 403 },
  { scope: 'trips:read', probe: 'POST webhooks', status: 403 },
  { scope: 'trips:write', probe: 'GET trips', status: 200 },
  { scope: 'trips:write', probe: 'POST trips', status: 200 },
  { scope: 'trips:write', probe: 'GET passports', status: 403 },
  { scope: 'trips:write', probe: 'GET webhooks', status: 403 },
  { scope: 'trips:write', probe: 'POST webhooks', status: 403 },
  { scope: 'pii:read', probe: 'GET trips', status: 403 },
  { scope: 'pii:read', probe: 'POST trips', status: 403 },
  { scope: 'pii:read', probe: 'GET passports', status: 200 },
  { scope: 'pii:read', probe: 'GET webhooks', status: 403 },
  { scope: 'pii:read', probe: 'POST webhooks', status: 403 },
  { scope: 'webhooks:read', probe: 'GET trips', status: 403 },
  { scope: 'webhooks:read', probe: 'POST trips', status: 403 },
  { scope: 'webhooks:read', probe: 'GET passports', status: 403 },
  { scope: 'webhooks:read', probe: 'GET webhooks', status: 200 },
  { scope: 'webhooks:read', probe: 'POST webhooks', status: 403 },
  { scope: 'webhooks:write', probe: 'GET trips', status: 403 },
  { scope: 'webhooks:write', probe: 'POST trips', status: 403 },
  { scope: 'webhooks:write', probe: 'GET passports', status: 403 },
  { scope: 'webhooks:write', probe: 'GET webhooks', status: 200 },
  { scope: 'webhooks:write', probe: 'POST webhooks', status: 200 },
  { scope: 'directory:write', probe: 'GET trips', status: 403 },
  { scope: 'directory:write', probe: 'POST trips', status: 403 },
  { scope: 'directory:write', probe: 'GET passports', status: 403 },
  { scope: 'directory:write', probe: 'GET webhooks', status: 403 },
  { scope: 'directory:write', probe: 'POST webhooks', status: 403 },
];

const MATRIX_SCOPES = [...new Set(SCOPE_MATRIX.map((row) => row.scope))];

/**
 * Roles, API key scopes and the rules around owners, sessions and keys,
 * through HTTP against real PostgreSQL and Redis.
 */
describe('access control', () => {
  let t: TestApp;
  /** Read-only fixtures for the matrices. */
  let matrix: Agency;
  const staffOf = {} as Record<Role, Staff>;
  const keyWith = {} as Record<Scope, string>;
  let allScopesKey: { id: string; key: string };
  /** Staff management, sessions and keys; tests here add their own users. */
  let desk: Agency;
  let deskAdmin: Staff;
  let deskOrganiser: Staff;
  let deskViewer: Staff;

  beforeAll(async () => {
    t = await startTestApp({ controllers: [ProbeAccessController] });
    [matrix, desk] = await Promise.all([
      signUpAgency(t, { tenantName: 'Matrix Trade Missions', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Desk Trade Missions', name: 'Heike Vogel' }),
    ]);
    const [admin, organiser, viewer, keys, everything, ...deskStaff] = await Promise.all([
      addStaff(t, matrix, 'admin', 'Matrix Admin'),
      addStaff(t, matrix, 'organiser', 'Matrix Organiser'),
      addStaff(t, matrix, 'viewer', 'Matrix Viewer'),
      Promise.all(
        MATRIX_SCOPES.map((scope) => addApiKey(t, matrix, [scope], { name: `Only ${scope}` })),
      ),
      addApiKey(t, matrix, [...SCOPES], { name: 'Everything' }),
      addStaff(t, desk, 'admin', 'Desk Admin'),
      addStaff(t, desk, 'organiser', 'Desk Organiser'),
      addStaff(t, desk, 'viewer', 'Desk Viewer'),
    ]);
    Object.assign(staffOf, { owner: matrix.owner, admin, organiser, viewer });
    MATRIX_SCOPES.forEach((scope, index) => (keyWith[scope] = keys[index].key));
    allScopesKey = everything;
    [deskAdmin, deskOrganiser, deskViewer] = deskStaff;
  });

  afterAll(() => t.close());

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const apiKey = (key: string): Headers => ({ 'X-API-Key': key });

  const getUser = async (agency: Agency, id: string) => {
    const response = await call(bearer(agency.owner.accessToken), 'get', `/users/${id}`);
    expect(response.status).toBe(200);
    expect(response.headers.etag).toMatch(/^"\d+"$/);
    return { user: response.body as UserBody, etag: String(response.headers.etag) };
  };
  const getKey = async (agency: Agency, id: string) => {
    const response = await call(bearer(agency.owner.accessToken), 'get', `/api-keys/${id}`);
    expect(response.status).toBe(200);
    return response.body as ApiKeyBody;
  };
  const listUsers = async (agency: Agency) => {
    const response = await call(bearer(agency.owner.accessToken), 'get', '/users?limit=200');
    expect(response.status).toBe(200);
    return (response.body as { items: UserBody[] }).items;
  };
  const auditEvents = async (agency: Agency, query: Record<string, string> = {}) => {
    const response = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ limit: 200, ...query })
      .set(bearer(agency.owner.accessToken));
    expect(response.status).toBe(200);
    return (response.body as { items: AuditEventBody[] }).items;
  };
  const newUserBody = (role: Role, name = 'Paul Neumann') => ({
    email: uniqueEmail(role),
    name,
    role,
    password: PASSWORD,
  });

  describe('roles', () => {
    it.each(ROLE_MATRIX)('$role: $probe answers $status', async ({ role, probe, status }) => {
      const { method, path } = PROBES[probe];
      const staff = staffOf[role];
      const response = await call(bearer(staff.accessToken), method, path);
      if (status === 200) {
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ actor: 'user', id: staff.id, tenantId: matrix.tenantId });
      } else {
        expectProblem(response, 403, 'forbidden');
        expect(response.body.detail).toContain(`(${role})`);
      }
    });

    it('every role can list and read its colleagues', async () => {
      for (const role of ['owner', 'admin', 'organiser', 'viewer'] as const) {
        const list = await call(bearer(staffOf[role].accessToken), 'get', '/users?limit=200');
        expect(list.status).toBe(200);
        const ids = (list.body as { items: UserBody[] }).items.map((user) => user.id);
        expect(ids).toEqual(
          expect.arrayContaining(Object.values(staffOf).map((staff) => staff.id)),
        );
        const one = await call(
          bearer(staffOf[role].accessToken),
          'get',
          `/users/${staffOf.owner.id}`,
        );
        expect(one.status).toBe(200);
        expect(one.body).toMatchObject({ id: staffOf.owner.id, role: 'owner' });
      }
    });

    it('without credentials every probe answers 401 authentication_required', async () => {
      for (const probe of Object.values(PROBES)) {
        const response = await call({}, probe.method, probe.path);
        expectProblem(response, 401, 'authentication_required');
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });
  });

  describe('API key scopes', () => {
    it.each(SCOPE_MATRIX)(
      'a key with only $scope: $probe answers $status',
      async ({ scope, probe, status }) => {
        const { method, path } = PROBES[probe];
        const response = await call(apiKey(keyWith[scope]), method, path);
        if (status === 200) {
          expect(response.status).toBe(200);
          expect(response.body).toMatchObject({ actor: 'api_key', tenantId: matrix.tenantId });
        } else {
          expectProblem(response, 403, 'forbidden');
          expect(response.body.detail).toMatch(/needs the scope/);
        }
      },
    );

    it('a key with every scope reaches every probe', async () => {
      for (const probe of Object.values(PROBES)) {
        const response = await call(apiKey(allScopesKey.key), probe.method, probe.path);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          actor: 'api_key',
          id: allScopesKey.id,
          tenantId: matrix.tenantId,
        });
      }
    });

    const staffOnly: [Method, string][] = [
      ['get', '/users'],
      ['get', '/users/:viewer'],
      ['post', '/users'],
      ['patch', '/users/:viewer'],
      ['post', '/users/:viewer/deactivate'],
      ['get', '/api-keys'],
      ['post', '/api-keys'],
      ['get', '/api-keys/:key'],
      ['delete', '/api-keys/:key'],
      ['get', '/audit-events'],
      ['get', '/me'],
    ];

    let viewerEtagBefore: string;
    beforeAll(async () => {
      viewerEtagBefore = (await getUser(matrix, staffOf.viewer.id)).etag;
    });

    it.each(staffOnly)(
      'even a key with every scope gets 403 forbidden on %s %s',
      async (method, template) => {
        const path = template
          .replace(':viewer', staffOf.viewer.id)
          .replace(':key', allScopesKey.id);
        const body =
          method === 'post' && path === '/users'
            ? newUserBody('admin')
            : method === 'post' && path === '/api-keys'
              ? { name: 'Minted by a key', scopes: ['trips:read'] }
              : method === 'patch'
                ? { role: 'admin' }
                : undefined;
        const response = await call(apiKey(allScopesKey.key), method, path, body);
        expectProblem(response, 403, 'forbidden');
        expect(response.body.detail).toMatch(/API keys/);
      },
    );

    it('keys changed nothing on the staff-only routes they were refused', async () => {
      const { user: viewer, etag } = await getUser(matrix, staffOf.viewer.id);
      expect(viewer).toMatchObject({ role: 'viewer', active: true });
      expect(etag).toBe(viewerEtagBefore);
      expect((await getKey(matrix, allScopesKey.id)).status).toBe('active');
      const names = (
        (await call(bearer(matrix.owner.accessToken), 'get', '/api-keys?limit=200')).body as {
          items: ApiKeyBody[];
        }
      ).items.map((key) => key.name);
      expect(names).not.toContain('Minted by a key');
      expect((await listUsers(matrix)).map((user) => user.role)).toEqual(
        expect.arrayContaining(['owner', 'admin', 'organiser', 'viewer']),
      );
      expect(await listUsers(matrix)).toHaveLength(4);
    });

    it('a key of unknown value gets 401 invalid_api_key', async () => {
      const real = keyWith['trips:read'];
      const tampered = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
      for (const key of [tampered, 'dd_00000000_thisisnotakey', 'x'.repeat(500)]) {
        const response = await call(apiKey(key), 'get', PROBES['GET trips'].path);
        expectProblem(response, 401, 'invalid_api_key');
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });
  });

  describe('managing staff, keys and the audit trail', () => {
    it.each(['viewer', 'organiser'] as const)(
      'the %s role may do none of it, and changes nothing by trying',
      async (role) => {
        const caller = bearer((role === 'viewer' ? deskViewer : deskOrganiser).accessToken);
        const target = deskAdmin.id;
        const { etag: before } = await getUser(desk, target);
        const key = await addApiKey(t, desk, ['trips:read'], { name: `Refused to ${role}` });
        const attempt = newUserBody('viewer');

        const refused = [
          await call(caller, 'post', '/users', attempt),
          await call(caller, 'patch', `/users/${target}`, { role: 'viewer' }),
          await call(caller, 'post', `/users/${target}/deactivate`),
          await call(caller, 'post', `/users/${target}/reactivate`),
          await call(caller, 'get', '/api-keys'),
          await call(caller, 'post', '/api-keys', { name: 'Mine', scopes: ['trips:read'] }),
          await call(caller, 'get', `/api-keys/${key.id}`),
          await call(caller, 'delete', `/api-keys/${key.id}`),
          await call(caller, 'get', '/audit-events'),
        ];
        for (const response of refused) {
          expectProblem(response, 403, 'forbidden');
          expect(response.body.detail).toContain(`(${role})`);
        }

        const { user, etag } = await getUser(desk, target);
        expect(etag).toBe(before);
        expect(user).toMatchObject({ role: 'admin', active: true });
        expect((await listUsers(desk)).map((u) => u.email)).not.toContain(attempt.email);
        expect((await getKey(desk, key.id)).status).toBe('active');
        expect((await call(apiKey(key.key), 'get', PROBES['GET trips'].path)).status).toBe(200);
        const keys = await call(bearer(desk.owner.accessToken), 'get', '/api-keys?limit=200');
        expect((keys.body as { items: ApiKeyBody[] }).items.map((k) => k.name)).not.toContain(
          'Mine',
        );
      },
    );

    it('an admin adds staff, changes roles, (de)activates, manages keys and reads the audit trail', async () => {
      const admin = bearer(deskAdmin.accessToken);
      const created = await call(
        admin,
        'post',
        '/users',
        newUserBody('organiser', 'Lena Hoffmann'),
      );
      expect(created.status).toBe(201);
      const id = (created.body as UserBody).id;
      expect(created.body).toMatchObject({
        name: 'Lena Hoffmann',
        role: 'organiser',
        active: true,
      });

      const demoted = await call(admin, 'patch', `/users/${id}`, { role: 'viewer' });
      expect(demoted.status).toBe(200);
      expect(demoted.body).toMatchObject({ id, role: 'viewer' });
      expect((await getUser(desk, id)).user).toMatchObject({
        name: 'Lena Hoffmann',
        role: 'viewer',
      });

      const deactivated = await call(admin, 'post', `/users/${id}/deactivate`);
      expect(deactivated.status).toBe(200);
      expect(deactivated.body).toMatchObject({ id, active: false });
      const reactivated = await call(admin, 'post', `/users/${id}/reactivate`);
      expect(reactivated.status).toBe(200);
      expect(reactivated.body).toMatchObject({ id, active: true });

      const key = await call(admin, 'post', '/api-keys', {
        name: 'Admin integration',
        scopes: ['trips:read'],
      });
      expect(key.status).toBe(201);
      const keyId = (key.body as ApiKeyBody).id;
      const keys = await call(admin, 'get', '/api-keys?limit=200');
      expect(keys.status).toBe(200);
      expect((keys.body as { items: ApiKeyBody[] }).items.map((k) => k.id)).toContain(keyId);
      expect((await call(admin, 'delete', `/api-keys/${keyId}`)).status).toBe(204);

      const audit = await call(admin, 'get', `/audit-events?actorId=${deskAdmin.id}&limit=200`);
      expect(audit.status).toBe(200);
      expect((audit.body as { items: AuditEventBody[] }).items.map((e) => e.action)).toEqual([
        'api_key.revoked',
        'api_key.created',
        'user.reactivated',
        'user.deactivated',
        'user.role_changed',
        'user.created',
        'auth.login_succeeded',
      ]);
    });

    it('PATCH answers with the whole updated user, as a GET then shows it', async () => {
      const staff = await addStaff(t, desk, 'organiser', 'Greta Schulz');
      const owner = bearer(desk.owner.accessToken);
      for (const change of [{ role: 'viewer' }, { name: 'Greta Schulz-Wolf' }, { locale: 'en' }]) {
        const patched = await call(owner, 'patch', `/users/${staff.id}`, change);
        expect(patched.status).toBe(200);
        const { user, etag } = await getUser(desk, staff.id);
        expect(user).toMatchObject(change);
        expect(patched.headers.etag).toBe(etag);
        expect(patched.body).toEqual(user);
      }
    });

    it('an admin cannot create an owner or make anyone owner (403 owner_required)', async () => {
      const admin = bearer(deskAdmin.accessToken);
      const attempt = newUserBody('owner', 'Would-be Owner');
      expectProblem(await call(admin, 'post', '/users', attempt), 403, 'owner_required');
      expect((await listUsers(desk)).map((u) => u.email)).not.toContain(attempt.email);

      const { etag } = await getUser(desk, deskViewer.id);
      const promote = await call(admin, 'patch', `/users/${deskViewer.id}`, { role: 'owner' });
      expectProblem(promote, 403, 'owner_required');
      const after = await getUser(desk, deskViewer.id);
      expect(after.user.role).toBe('viewer');
      expect(after.etag).toBe(etag);
    });

    it('a PATCH cannot null out a role, name or language (400, unchanged)', async () => {
      const { etag } = await getUser(desk, deskViewer.id);
      for (const field of ['role', 'name', 'locale']) {
        const response = await call(
          bearer(desk.owner.accessToken),
          'patch',
          `/users/${deskViewer.id}`,
          {
            [field]: null,
          },
        );
        expect(response.status).toBe(400);
        expect((response.body as { errors: { field: string }[] }).errors[0]?.field).toBe(field);
      }
      expect((await getUser(desk, deskViewer.id)).etag).toBe(etag);
    });

    it('an admin cannot demote, rename or deactivate the owner (403 owner_required)', async () => {
      const admin = bearer(deskAdmin.accessToken);
      const owner = desk.owner.id;
      const { etag } = await getUser(desk, owner);
      expectProblem(
        await call(admin, 'patch', `/users/${owner}`, { role: 'admin' }),
        403,
        'owner_required',
      );
      expectProblem(
        await call(admin, 'patch', `/users/${owner}`, { name: 'Renamed by admin', locale: 'en' }),
        403,
        'owner_required',
      );
      expectProblem(await call(admin, 'post', `/users/${owner}/deactivate`), 403, 'owner_required');

      const after = await getUser(desk, owner);
      expect(after.user).toMatchObject({ role: 'owner', active: true });
      expect(after.etag).toBe(etag);
      expect((await call(bearer(desk.owner.accessToken), 'get', '/me')).status).toBe(200);
    });
  });

  describe('owners', () => {
    it('an owner makes an admin owner, who can then demote the first owner', async () => {
      const agency = await signUpAgency(t, { tenantName: 'Succession Partners' });
      const second = await addStaff(t, agency, 'admin', 'Sabine Richter');

      const promoted = await call(
        bearer(agency.owner.accessToken),
        'patch',
        `/users/${second.id}`,
        {
          role: 'owner',
        },
      );
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ id: second.id, role: 'owner' });

      const demoted = await call(bearer(second.accessToken), 'patch', `/users/${agency.owner.id}`, {
        role: 'admin',
      });
      expect(demoted.status).toBe(200);
      expect(demoted.body).toMatchObject({ id: agency.owner.id, role: 'admin', active: true });

      const me = await call(bearer(agency.owner.accessToken), 'get', '/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ role: 'admin' });
      // Now an admin, the first owner can no longer touch the new owner.
      expectProblem(
        await call(bearer(agency.owner.accessToken), 'patch', `/users/${second.id}`, {
          role: 'admin',
        }),
        403,
        'owner_required',
      );
      expect((await getUser({ ...agency, owner: second }, second.id)).user.role).toBe('owner');
    });

    it('two owners demoting each other at once leave exactly one owner', async () => {
      const agency = await signUpAgency(t, { tenantName: 'Twin Owners Trade' });
      const second = await addStaff(t, agency, 'owner', 'Uwe Krause');
      const [first, other] = await Promise.all([
        call(bearer(agency.owner.accessToken), 'patch', `/users/${second.id}`, { role: 'admin' }),
        call(bearer(second.accessToken), 'patch', `/users/${agency.owner.id}`, { role: 'admin' }),
      ]);
      const statuses = [first.status, other.status].sort();
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      const owners = (await listUsers(agency)).filter((u) => u.role === 'owner' && u.active);
      const survivor = first.status === 200 ? agency.owner.id : second.id;
      expect(owners.map((u) => u.id)).toEqual([survivor]);
    });

    it('the last active owner can be neither demoted nor deactivated (409 last_owner)', async () => {
      const agency = await signUpAgency(t, { tenantName: 'Solo Owner Consulting' });
      const owner = bearer(agency.owner.accessToken);
      // A second owner who is deactivated does not count.
      const other = await call(owner, 'post', '/users', newUserBody('owner', 'Dormant Owner'));
      expect(other.status).toBe(201);
      const otherId = (other.body as UserBody).id;
      expect((await call(owner, 'post', `/users/${otherId}/deactivate`)).status).toBe(200);

      const { etag } = await getUser(agency, agency.owner.id);
      expectProblem(
        await call(owner, 'patch', `/users/${agency.owner.id}`, { role: 'admin' }),
        409,
        'last_owner',
      );
      expectProblem(
        await call(owner, 'post', `/users/${agency.owner.id}/deactivate`),
        409,
        'last_owner',
      );

      const after = await getUser(agency, agency.owner.id);
      expect(after.user).toMatchObject({ role: 'owner', active: true });
      expect(after.etag).toBe(etag);
      expect((await call(owner, 'get', '/me')).status).toBe(200);
      const actions = (await auditEvents(agency, { entityId: agency.owner.id })).map(
        (event) => event.action,
      );
      expect(actions).not.toContain('user.role_changed');
      expect(actions).not.toContain('user.deactivated');
    });
  });

  describe('sessions follow the account', () => {
    it('deactivation ends sessions at once; reactivation lets the user sign in again', async () => {
      const staff = await addStaff(t, desk, 'organiser', 'Tobias Klein');
      const token = bearer(staff.accessToken);
      expect((await call(token, 'get', '/me')).status).toBe(200);

      const deactivated = await call(
        bearer(desk.owner.accessToken),
        'post',
        `/users/${staff.id}/deactivate`,
      );
      expect(deactivated.status).toBe(200);
      expect(deactivated.body).toMatchObject({ id: staff.id, active: false });

      expectProblem(await call(token, 'get', '/me'), 401, 'session_ended');
      expectProblem(await call(token, 'get', PROBES['GET trips'].path), 401, 'session_ended');
      const refresh = await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: staff.refreshToken });
      expectProblem(refresh, 401, 'invalid_refresh_token');
      expect(refresh.body.accessToken).toBeUndefined();
      const refused = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: staff.email, password: PASSWORD });
      expectProblem(refused, 401, 'invalid_credentials');

      const reactivated = await call(
        bearer(desk.owner.accessToken),
        'post',
        `/users/${staff.id}/reactivate`,
      );
      expect(reactivated.status).toBe(200);
      expect(reactivated.body).toMatchObject({ id: staff.id, active: true });
      // The ended session stays ended; a new sign-in works.
      expectProblem(await call(token, 'get', '/me'), 401, 'session_ended');
      const session = await login(t, staff.email);
      const me = await call(bearer(session.accessToken), 'get', '/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: staff.id, active: true, role: 'organiser' });
    });

    it('a role change applies to the next request made with the same access token', async () => {
      const staff = await addStaff(t, desk, 'organiser', 'Miriam Lang');
      const token = bearer(staff.accessToken);
      const owner = bearer(desk.owner.accessToken);
      expect((await call(token, 'post', PROBES['POST trips'].path)).status).toBe(200);

      expect((await call(owner, 'patch', `/users/${staff.id}`, { role: 'viewer' })).status).toBe(
        200,
      );
      const write = await call(token, 'post', PROBES['POST trips'].path);
      expectProblem(write, 403, 'forbidden');
      expect(write.body.detail).toContain('(viewer)');
      expect((await call(token, 'get', PROBES['GET trips'].path)).status).toBe(200);
      expectProblem(await call(token, 'get', '/audit-events'), 403, 'forbidden');

      expect((await call(owner, 'patch', `/users/${staff.id}`, { role: 'admin' })).status).toBe(
        200,
      );
      expect((await call(token, 'get', '/audit-events')).status).toBe(200);
      expect((await call(token, 'post', PROBES['POST webhooks'].path)).status).toBe(200);
    });
  });

  describe('If-Match on users', () => {
    it('a stale ETag gets 412 and changes nothing', async () => {
      const staff = await addStaff(t, desk, 'organiser', 'Jan Fischer');
      const owner = bearer(desk.owner.accessToken);
      const { etag: first } = await getUser(desk, staff.id);
      expect(first).toMatch(/^"\d+"$/);

      const updated = await call(owner, 'patch', `/users/${staff.id}`, { locale: 'en' }).set(
        'If-Match',
        first,
      );
      expect(updated.status).toBe(200);
      const second = String(updated.headers.etag);
      expect(second).toMatch(/^"\d+"$/);
      expect(second).not.toBe(first);

      const stale = await call(owner, 'patch', `/users/${staff.id}`, { role: 'viewer' }).set(
        'If-Match',
        first,
      );
      expectProblem(stale, 412, 'precondition_failed');
      const staleDeactivate = await call(owner, 'post', `/users/${staff.id}/deactivate`).set(
        'If-Match',
        first,
      );
      expectProblem(staleDeactivate, 412, 'precondition_failed');

      const after = await getUser(desk, staff.id);
      expect(after.etag).toBe(second);
      expect(after.user).toMatchObject({ role: 'organiser', locale: 'en', active: true });
      expect((await call(bearer(staff.accessToken), 'get', '/me')).status).toBe(200);
    });
  });

  describe('API key life cycle', () => {
    it('a revoked key gets 401 invalid_api_key at once and is listed as revoked', async () => {
      const key = await addApiKey(t, desk, ['trips:read'], { name: 'To be revoked' });
      expect((await call(apiKey(key.key), 'get', PROBES['GET trips'].path)).status).toBe(200);

      const revoked = await call(bearer(desk.owner.accessToken), 'delete', `/api-keys/${key.id}`);
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');
      expectProblem(
        await call(apiKey(key.key), 'get', PROBES['GET trips'].path),
        401,
        'invalid_api_key',
      );
      const listed = await getKey(desk, key.id);
      expect(listed.status).toBe('revoked');
      expect(listed.revokedAt).not.toBeNull();
    });

    it('an expired key gets 401 invalid_api_key and is listed as expired', async () => {
      const expiresAt = new Date(Date.now() + 1500);
      const key = await addApiKey(t, desk, ['trips:read'], {
        name: 'Short-lived',
        expiresAt: expiresAt.toISOString(),
      });
      expect((await call(apiKey(key.key), 'get', PROBES['GET trips'].path)).status).toBe(200);
      expect((await getKey(desk, key.id)).status).toBe('active');

      await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
      expectProblem(
        await call(apiKey(key.key), 'get', PROBES['GET trips'].path),
        401,
        'invalid_api_key',
      );
      const listed = await getKey(desk, key.id);
      expect(listed.status).toBe('expired');
      expect(new Date(listed.expiresAt ?? 0).getTime()).toBe(expiresAt.getTime());
    });

    it('records when a key was last used', async () => {
      const key = await addApiKey(t, desk, ['trips:read'], { name: 'Usage tracked' });
      expect((await getKey(desk, key.id)).lastUsedAt).toBeNull();
      const before = Date.now();
      expect((await call(apiKey(key.key), 'get', PROBES['GET trips'].path)).status).toBe(200);
      const lastUsedAt = (await getKey(desk, key.id)).lastUsedAt;
      expect(lastUsedAt).not.toBeNull();
      const used = new Date(lastUsedAt ?? 0).getTime();
      expect(used).toBeGreaterThanOrEqual(before - 2000);
      expect(used).toBeLessThanOrEqual(Date.now() + 2000);
    });

    it('shows the key once; listings show its prefix and scopes, never the secret', async () => {
      const created = await call(bearer(desk.owner.accessToken), 'post', '/api-keys', {
        name: 'CRM sync',
        scopes: ['participants:write', 'pii:read'],
      });
      expect(created.status).toBe(201);
      const { key, prefix, id } = created.body as ApiKeyBody & { key: string };
      expect(key.startsWith(`${prefix}_`)).toBe(true);

      const list = await call(bearer(desk.owner.accessToken), 'get', '/api-keys?limit=200');
      expect(list.status).toBe(200);
      const listed = (list.body as { items: (ApiKeyBody & { key?: string })[] }).items.find(
        (item) => item.id === id,
      );
      expect(listed).toMatchObject({
        name: 'CRM sync',
        prefix,
        scopes: ['participants:write', 'pii:read'],
        status: 'active',
        lastUsedAt: null,
      });
      expect(listed).not.toHaveProperty('key');
      expect(JSON.stringify(list.body)).not.toContain(key);
      expect(
        JSON.stringify((await call(bearer(desk.owner.accessToken), 'get', `/api-keys/${id}`)).body),
      ).not.toContain(key);
    });
  });

  describe('audit trail', () => {
    it('records who changed staff and keys, with role before/after and never a name or email', async () => {
      const email = uniqueEmail('lieselotte');
      const created = await call(bearer(deskAdmin.accessToken), 'post', '/users', {
        email,
        name: 'Lieselotte Brandauer',
        role: 'organiser',
        password: PASSWORD,
      });
      expect(created.status).toBe(201);
      const id = (created.body as UserBody).id;
      const owner = bearer(desk.owner.accessToken);
      expect((await call(owner, 'patch', `/users/${id}`, { role: 'viewer' })).status).toBe(200);
      expect(
        (await call(owner, 'patch', `/users/${id}`, { name: 'Lieselotte Voss', locale: 'en' }))
          .status,
      ).toBe(200);
      expect((await call(owner, 'post', `/users/${id}/deactivate`)).status).toBe(200);
      expect((await call(owner, 'post', `/users/${id}/reactivate`)).status).toBe(200);
      const key = await addApiKey(t, desk, ['reports:read'], { name: 'Audited key' });
      expect((await call(owner, 'delete', `/api-keys/${key.id}`)).status).toBe(204);

      const userEvents = await auditEvents(desk, { entityId: id });
      expect(userEvents.map((event) => event.action)).toEqual([
        'user.reactivated',
        'user.deactivated',
        'user.updated',
        'user.role_changed',
        'user.created',
      ]);
      const times = userEvents.map((event) => new Date(event.at).getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const [reactivated, deactivated, updated, roleChanged, createdEvent] = userEvents;
      expect(createdEvent).toMatchObject({
        actorType: 'user',
        actorId: deskAdmin.id,
        entityType: 'user',
        entityId: id,
        changes: { role: { before: null, after: 'organiser' } },
      });
      expect(roleChanged).toMatchObject({
        actorType: 'user',
        actorId: desk.owner.id,
        changes: { role: { before: 'organiser', after: 'viewer' } },
      });
      expect(updated.changes).toEqual({
        name: { before: '[redacted]', after: '[redacted]' },
        locale: { before: 'de', after: 'en' },
      });
      expect(deactivated).toMatchObject({
        actorId: desk.owner.id,
        changes: { active: { before: true, after: false } },
      });
      expect(reactivated).toMatchObject({
        actorId: desk.owner.id,
        changes: { active: { before: false, after: true } },
      });

      const keyEvents = await auditEvents(desk, { entityType: 'api_key', entityId: key.id });
      expect(keyEvents.map((event) => [event.action, event.actorId])).toEqual([
        ['api_key.revoked', desk.owner.id],
        ['api_key.created', desk.owner.id],
      ]);
      expect(keyEvents[1].changes).toEqual({ scopes: { before: null, after: ['reports:read'] } });

      const byAction = await auditEvents(desk, { action: 'user.role_changed' });
      expect(byAction.length).toBeGreaterThan(0);
      expect(byAction.every((event) => event.action === 'user.role_changed')).toBe(true);

      // No event of the whole trail carries anybody's name or email.
      const trail = JSON.stringify(await auditEvents(desk));
      const people = await listUsers(desk);
      for (const person of people) {
        expect(trail).not.toContain(person.email);
        expect(trail).not.toContain(person.name);
      }
      expect(trail).not.toContain('Lieselotte');
      expect(trail).not.toContain(email);
    });
  });
});
