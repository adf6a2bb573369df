import { randomUUID } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import type { Response } from 'supertest';
import { CurrentActor, type Actor } from '../src/modules/identity/access/actor.js';
import { Requires } from '../src/modules/identity/access/permissions.js';
import {
  addApiKey,
  addStaff,
  bearer,
  PASSWORD,
  signUpAgency,
  uniqueEmail,
  type Agency,
  type Staff,
} from './support/identity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PROBLEM = /^application\/problem\+json/;

/** Test-only route: the one thing an API key may call until domain routes exist. */
@Controller('probe-tenancy')
class TenancyProbeController {
  @Get('whoami')
  @Requires('directory:read')
  whoami(@CurrentActor() actor: Actor) {
    return { actor: actor.kind, id: actor.id, tenantId: actor.tenantId };
  }
}

type Method = 'get' | 'post' | 'patch' | 'delete';
type Headers = Record<string, string>;

interface UserBody {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
  version: number;
}

interface ApiKeyBody {
  id: string;
  name: string;
  prefix: string;
  status: string;
  version: number;
}

interface AuditEventBody {
  actorId: string | null;
  entityId: string | null;
}

/** One agency, and everything of it another agency must never see or touch. */
interface Side {
  label: 'A' | 'B';
  agency: Agency;
  /** Admin, "Anna Schmidt" in both agencies. */
  anna: Staff;
  /** Viewer, "Jonas Becker" in both agencies, deactivated. */
  jonas: Staff;
  /** "CRM sync" in both agencies, same scopes. */
  key: { id: string; key: string; prefix: string };
  userIds: Set<string>;
  keyIds: Set<string>;
  emails: Set<string>;
}

/** Every id, email and key of a side: none may appear in the other side's responses. */
const markersOf = (side: Side) => [
  side.agency.tenantId,
  ...side.userIds,
  ...side.keyIds,
  ...side.emails,
  side.key.key,
  side.key.prefix,
];

/**
 * Two agencies with look-alike data: the same agency name, staff with the
 * same names and API keys with the same name and scopes. Nothing of one
 * may be seen, changed or replayed by the other.
 */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: Side;
  let b: Side;
  /** B's records as B saw them before A tried anything. */
  let bAnnaBefore: { body: UserBody; etag: string };
  let bJonasBefore: { body: UserBody; etag: string };
  let bKeyBefore: ApiKeyBody;

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const apiKey = (key: string): Headers => ({ 'X-API-Key': key });
  const owner = (side: Side) => bearer(side.agency.owner.accessToken);
  const other = (side: Side) => (side === a ? b : a);

  async function setUp(label: 'A' | 'B'): Promise<Side> {
    const agency = await signUpAgency(t, {
      tenantName: 'Thüringen International',
      name: 'Katrin Weber',
    });
    const [anna, jonas] = await Promise.all([
      addStaff(t, agency, 'admin', 'Anna Schmidt'),
      addStaff(t, agency, 'viewer', 'Jonas Becker'),
    ]);
    const key = await addApiKey(t, agency, ['directory:read', 'trips:write'], { name: 'CRM sync' });
    const deactivated = await call(
      bearer(agency.owner.accessToken),
      'post',
      `/users/${jonas.id}/deactivate`,
    );
    expect(deactivated.status).toBe(200);
    return {
      label,
      agency,
      anna,
      jonas,
      key,
      userIds: new Set([agency.owner.id, anna.id, jonas.id]),
      keyIds: new Set([key.id]),
      emails: new Set([agency.owner.email, anna.email, jonas.email]),
    };
  }

  const read = async (side: Side, path: string) => {
    const response = await call(owner(side), 'get', path);
    expect(response.status).toBe(200);
    expect(response.headers.etag).toMatch(/^"\d+"$/);
    return { body: response.body as UserBody & ApiKeyBody, etag: String(response.headers.etag) };
  };

  beforeAll(async () => {
    t = await startTestApp({ controllers: [TenancyProbeController] });
    [a, b] = await Promise.all([setUp('A'), setUp('B')]);
    bAnnaBefore = await read(b, `/users/${b.anna.id}`);
    bJonasBefore = await read(b, `/users/${b.jonas.id}`);
    bKeyBefore = (await read(b, `/api-keys/${b.key.id}`)).body;
  });

  afterAll(() => t.close());

  function expectNotFound(response: Response) {
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ status: 404, code: 'not_found' });
  }

  /** The problem body apart from `instance`, which echoes the path (and so the id). */
  const withoutInstance = (response: Response, path: string) => {
    const { instance, ...rest } = response.body as { instance?: string };
    expect(instance).toBe(`/api/v1${path}`);
    return rest;
  };

  it('the look-alike agencies are distinct tenants', () => {
    expect(a.agency.tenantId).not.toBe(b.agency.tenantId);
    expect(a.anna.id).not.toBe(b.anna.id);
    expect(a.key.id).not.toBe(b.key.id);
  });

  describe("another agency's ids answer 404 exactly like ids that do not exist", () => {
    const userOperations: [string, Method, (id: string) => string, object | undefined][] = [
      ['GET', 'get', (id) => `/users/${id}`, undefined],
      ['PATCH', 'patch', (id) => `/users/${id}`, { name: 'Anna Schmidt (A)', role: 'viewer' }],
      ['deactivate', 'post', (id) => `/users/${id}/deactivate`, undefined],
      ['reactivate', 'post', (id) => `/users/${id}/reactivate`, undefined],
    ];

    it.each(userOperations)("A's admin: %s of B's user", async (operation, method, path, body) => {
      const target = path(operation === 'reactivate' ? b.jonas.id : b.anna.id);
      const random = path(randomUUID());
      const foreign = await call(bearer(a.anna.accessToken), method, target, body);
      const missing = await call(bearer(a.anna.accessToken), method, random, body);
      expectNotFound(foreign);
      expectNotFound(missing);
      expect(withoutInstance(foreign, target)).toEqual(withoutInstance(missing, random));
      expect(foreign.headers.etag).toBeUndefined();
      expect(JSON.stringify(foreign.body)).not.toContain(b.anna.email);
    });

    it.each([
      ['GET', 'get'],
      ['DELETE', 'delete'],
    ] as [string, Method][])("A's admin: %s of B's API key", async (_, method) => {
      const target = `/api-keys/${b.key.id}`;
      const random = `/api-keys/${randomUUID()}`;
      const foreign = await call(bearer(a.anna.accessToken), method, target);
      const missing = await call(bearer(a.anna.accessToken), method, random);
      expectNotFound(foreign);
      expectNotFound(missing);
      expect(withoutInstance(foreign, target)).toEqual(withoutInstance(missing, random));
    });

    it("afterwards B's user and key are exactly as B left them, and still work", async () => {
      const anna = await read(b, `/users/${b.anna.id}`);
      expect(anna.body).toEqual(bAnnaBefore.body);
      expect(anna.etag).toBe(bAnnaBefore.etag);
      expect(anna.body).toMatchObject({ name: 'Anna Schmidt', role: 'admin', active: true });

      const jonas = await read(b, `/users/${b.jonas.id}`);
      expect(jonas.body).toEqual(bJonasBefore.body);
      expect(jonas.etag).toBe(bJonasBefore.etag);
      expect(jonas.body.active).toBe(false);

      const key = await read(b, `/api-keys/${b.key.id}`);
      expect(key.body).toEqual(bKeyBefore);
      expect(key.body.status).toBe('active');

      const me = await call(bearer(b.anna.accessToken), 'get', '/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: b.anna.id, tenant: { id: b.agency.tenantId } });
      const probe = await call(apiKey(b.key.key), 'get', '/probe-tenancy/whoami');
      expect(probe.status).toBe(200);
      expect(probe.body).toEqual({ actor: 'api_key', id: b.key.id, tenantId: b.agency.tenantId });

      const aActs = await call(owner(b), 'get', `/audit-events?actorId=${a.anna.id}&limit=200`);
      expect(aActs.status).toBe(200);
      expect(aActs.body.items).toEqual([]);
    });
  });

  describe('lists show only their own agency', () => {
    it.each(['A', 'B'] as const)('%s: users, API keys and audit events', async (label) => {
      const side = label === 'A' ? a : b;
      const foreign = markersOf(other(side));
      for (const caller of [owner(side), bearer(side.anna.accessToken)]) {
        const users = await call(caller, 'get', '/users?limit=200');
        expect(users.status).toBe(200);
        const userIds = (users.body.items as UserBody[]).map((user) => user.id);
        expect(new Set(userIds)).toEqual(side.userIds);

        const keys = await call(caller, 'get', '/api-keys?limit=200');
        expect(keys.status).toBe(200);
        expect(new Set((keys.body.items as ApiKeyBody[]).map((key) => key.id))).toEqual(
          side.keyIds,
        );

        const audit = await call(caller, 'get', '/audit-events?limit=200');
        expect(audit.status).toBe(200);
        const events = audit.body.items as AuditEventBody[];
        expect(events.length).toBeGreaterThan(0);
        const own = new Set([side.agency.tenantId, ...side.userIds, ...side.keyIds]);
        for (const event of events) {
          if (event.actorId !== null) expect(own).toContain(event.actorId);
          if (event.entityId !== null) expect(own).toContain(event.entityId);
        }

        for (const response of [users, keys, audit]) {
          const text = JSON.stringify(response.body);
          for (const marker of foreign) expect(text).not.toContain(marker);
        }
      }
    });

    it("filtering the audit trail by another agency's ids finds nothing", async () => {
      for (const query of [
        `entityId=${b.anna.id}`,
        `actorId=${b.agency.owner.id}`,
        `entityId=${b.key.id}`,
        `entityId=${b.agency.tenantId}`,
      ]) {
        const response = await call(owner(a), 'get', `/audit-events?${query}&limit=200`);
        expect(response.status).toBe(200);
        expect(response.body.items).toEqual([]);
      }
      const own = await call(owner(a), 'get', `/audit-events?entityId=${a.anna.id}&limit=200`);
      expect(own.body.items.length).toBeGreaterThan(0);
    });
  });

  describe('Idempotency-Key', () => {
    const newUser = (email: string) => ({
      email,
      name: 'Mia Wagner',
      role: 'viewer',
      password: PASSWORD,
    });

    it('the same key in both agencies creates two users; only a retry in the same agency replays', async () => {
      const key = `add-mia-${randomUUID()}`;
      const inA = newUser(uniqueEmail('mia'));
      const inB = newUser(uniqueEmail('mia'));
      const createdA = await call(owner(a), 'post', '/users', inA).set('Idempotency-Key', key);
      const createdB = await call(owner(b), 'post', '/users', inB).set('Idempotency-Key', key);
      expect(createdA.status).toBe(201);
      expect(createdB.status).toBe(201);
      expect(createdB.headers['idempotent-replayed']).toBeUndefined();
      const idA = (createdA.body as UserBody).id;
      const idB = (createdB.body as UserBody).id;
      expect(idB).not.toBe(idA);
      expect(createdB.body).toMatchObject({ email: inB.email, name: 'Mia Wagner' });
      a.userIds.add(idA);
      a.emails.add(inA.email);
      b.userIds.add(idB);
      b.emails.add(inB.email);

      const retry = await call(owner(a), 'post', '/users', inA).set('Idempotency-Key', key);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(createdA.body);

      expect((await call(owner(a), 'get', `/users/${idA}`)).status).toBe(200);
      expect((await call(owner(b), 'get', `/users/${idB}`)).status).toBe(200);
      expectNotFound(await call(owner(a), 'get', `/users/${idB}`));
      expectNotFound(await call(owner(b), 'get', `/users/${idA}`));
      const mias = async (side: Side) =>
        ((await call(owner(side), 'get', '/users?limit=200')).body.items as UserBody[])
          .filter((user) => user.name === 'Mia Wagner')
          .map((user) => user.id);
      expect(await mias(a)).toEqual([idA]);
      expect(await mias(b)).toEqual([idB]);
    });

    it("an identical request with the same key in another agency is not answered with the first agency's response", async () => {
      const key = `add-same-${randomUUID()}`;
      const body = newUser(uniqueEmail('same'));
      const createdA = await call(owner(a), 'post', '/users', body).set('Idempotency-Key', key);
      expect(createdA.status).toBe(201);
      a.userIds.add((createdA.body as UserBody).id);
      a.emails.add(body.email);

      // Emails are unique across the service, so running it in B is a 409, never A's user.
      const inB = await call(owner(b), 'post', '/users', body).set('Idempotency-Key', key);
      expect(inB.status).toBe(409);
      expect(inB.headers['content-type']).toMatch(PROBLEM);
      expect(inB.body).toMatchObject({ code: 'email_taken' });
      expect(inB.headers['idempotent-replayed']).toBeUndefined();
      expect(JSON.stringify(inB.body)).not.toContain((createdA.body as UserBody).id);
    });
  });

  it('a burst of interleaved requests from both agencies: every response holds only its own agency', async () => {
    interface Planned {
      side: Side;
      what: string;
      send: () => Promise<Response>;
      status: number;
      check?: (body: unknown) => void;
    }
    const plans = (side: Side): Planned[] => {
      const staff = [
        { who: 'owner', headers: owner(side), id: side.agency.owner.id },
        { who: 'admin', headers: bearer(side.anna.accessToken), id: side.anna.id },
      ];
      const ownIds = (body: unknown) => {
        for (const item of (body as { items: { id: string }[] }).items) {
          expect([...side.userIds, ...side.keyIds]).toContain(item.id);
        }
      };
      return [
        ...staff.flatMap(({ who, headers, id }) => [
          {
            what: `${who} GET /users`,
            send: () => call(headers, 'get', '/users?limit=200'),
            status: 200,
            check: ownIds,
          },
          {
            what: `${who} GET /me`,
            send: () => call(headers, 'get', '/me'),
            status: 200,
            check: (body: unknown) =>
              expect(body).toMatchObject({ id, tenant: { id: side.agency.tenantId } }),
          },
          {
            what: `${who} GET /api-keys`,
            send: () => call(headers, 'get', '/api-keys?limit=200'),
            status: 200,
            check: ownIds,
          },
          {
            what: `${who} GET /audit-events`,
            send: () => call(headers, 'get', '/audit-events?limit=200'),
            status: 200,
          },
          {
            what: `${who} GET /users/{self}`,
            send: () => call(headers, 'get', `/users/${id}`),
            status: 200,
            check: (body: unknown) => expect(body).toMatchObject({ id }),
          },
          {
            what: `${who} GET /users/{Anna}`,
            send: () => call(headers, 'get', `/users/${side.anna.id}`),
            status: 200,
            check: (body: unknown) => expect(body).toMatchObject({ name: 'Anna Schmidt' }),
          },
        ]),
        {
          what: 'key GET /probe-tenancy/whoami',
          send: () => call(apiKey(side.key.key), 'get', '/probe-tenancy/whoami'),
          status: 200,
          check: (body: unknown) =>
            expect(body).toEqual({
              actor: 'api_key',
              id: side.key.id,
              tenantId: side.agency.tenantId,
            }),
        },
        {
          what: 'key GET /users',
          send: () => call(apiKey(side.key.key), 'get', '/users'),
          status: 403,
        },
        {
          what: 'key GET /me',
          send: () => call(apiKey(side.key.key), 'get', '/me'),
          status: 403,
        },
      ].map((plan) => ({ ...plan, side }));
    };
    const perSide = { A: plans(a), B: plans(b) };
    const burst: Planned[] = [];
    for (let index = 0; index < 100; index++) {
      burst.push(perSide.A[index % perSide.A.length], perSide.B[(index * 7) % perSide.B.length]);
    }
    expect(burst).toHaveLength(200);

    const responses = await Promise.all(burst.map((plan) => plan.send()));

    const foreignOf = { A: markersOf(b), B: markersOf(a) };
    responses.forEach((response, index) => {
      const plan = burst[index];
      const label = `${plan.side.label}: ${plan.what}`;
      expect({ label, status: response.status }).toEqual({ label, status: plan.status });
      const text = JSON.stringify(response.body);
      const leaked = foreignOf[plan.side.label].filter((marker) => text.includes(marker));
      expect({ label, leaked }).toEqual({ label, leaked: [] });
      plan.check?.(response.body);
    });
  });
});
