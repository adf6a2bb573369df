import type { Response } from 'supertest';
import { PublicTokens } from '../src/common/links/public-tokens.js';
import { bearer, PASSWORD, signUpAgency, uniqueEmail, type Agency } from './support/identity.js';
import { addContacts, openTrip } from './support/messaging.js';
import { ProbeController } from './support/probe.controller.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PROBLEM = /^application\/problem\+json/;

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      controllers: [ProbeController],
      config: { CORS_ORIGINS: ['https://desk.agency.example'] },
    });
  });
  afterAll(() => t.close());

  describe('errors are problem+json', () => {
    it('unknown route: 404', async () => {
      const res = await t.http().get('/api/v1/no-such-thing');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        status: 404,
        code: 'not_found',
        title: 'Not Found',
        instance: '/api/v1/no-such-thing',
      });
      expect(res.body.type).toMatch(/^urn:delegation-desk:problem:/);
    });

    it('malformed JSON: 400 malformed_json', async () => {
      const res = await t
        .http()
        .post('/api/v1/probe/things')
        .set('Content-Type', 'application/json')
        .send('{"title": "Astana",');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 400, code: 'malformed_json' });
    });

    it('body over 1 MB: 413', async () => {
      const res = await t
        .http()
        .post('/api/v1/probe/things')
        .send({ title: 'x'.repeat(1024 * 1024) });
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 413, code: 'payload_too_large' });
    });

    it('invalid and unknown fields: 400 listing each field, nested paths included', async () => {
      const res = await t
        .http()
        .post('/api/v1/probe/things')
        .send({
          title: 42,
          capacity: 0,
          stations: [{ city: 'Astana' }, { city: 'x'.repeat(21) }],
          colour: 'red',
        });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('validation_failed');
      const fields = (res.body.errors as { field: string; message: string }[]).map(
        (error) => error.field,
      );
      expect(new Set(fields)).toEqual(new Set(['title', 'capacity', 'stations[1].city', 'colour']));
      expect(res.body.errors).toContainEqual({
        field: 'colour',
        message: 'is not an allowed field',
      });
    });

    it('unexpected error: 500 with an error id and nothing of the error itself', async () => {
      const res = await t.http().post('/api/v1/probe/failing-things').send({ title: 'Samarkand' });
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 500, code: 'internal_error' });
      expect(res.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.detail).toContain(res.body.errorId);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/insert|constraint|hunter2|at .*\.ts/);
    });
  });

  describe('headers', () => {
    it('every response carries a request id, echoing a sane one from the caller', async () => {
      const generated = await t.http().get('/health/live');
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const echoed = await t.http().get('/no-such-route').set('X-Request-Id', 'trace-42');
      expect(echoed.headers['x-request-id']).toBe('trace-42');
      const refused = await t.http().get('/health/live').set('X-Request-Id', 'bad id with spaces');
      expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sets security headers: for JSON on the API, for documents elsewhere', async () => {
      for (const path of ['/api/v1/probe/versioned', '/api/v1/no-such-thing']) {
        const api = await t.http().get(path);
        expect(api.headers['content-security-policy']).toBe(
          "default-src 'none';frame-ancestors 'none'",
        );
        expect(api.headers['x-content-type-options']).toBe('nosniff');
        expect(api.headers['x-frame-options']).toBe('DENY');
        expect(api.headers['cross-origin-resource-policy']).toBe('same-origin');
        expect(api.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
        // Only meaningful for HTML documents: not sent with JSON.
        expect(api.headers['x-xss-protection']).toBeUndefined();
        expect(api.headers['x-dns-prefetch-control']).toBeUndefined();
      }
      for (const path of ['/health/live', '/api/docs']) {
        const document = await t.http().get(path);
        expect(document.headers['x-content-type-options']).toBe('nosniff');
        expect(document.headers['content-security-policy']).toContain("default-src 'self'");
        expect(document.headers['content-security-policy']).toContain("script-src 'self'");
        expect(document.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(document.headers['referrer-policy']).toBe('no-referrer');
      }
    });

    it('allows CORS only for configured origins', async () => {
      const allowed = await t
        .http()
        .get('/health/live')
        .set('Origin', 'https://desk.agency.example');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://desk.agency.example');
      const other = await t.http().get('/health/live').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      // A preflight is answered before the API's own hooks, and still names its request.
      const preflight = await t
        .http()
        .options('/api/v1/trips')
        .set('Origin', 'https://desk.agency.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('X-Request-Id', 'preflight-1');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://desk.agency.example');
      expect(preflight.headers['x-request-id']).toBe('preflight-1');
    });
  });

  describe('ETag and If-Match', () => {
    it('GET returns an ETag and answers a matching If-None-Match with 304', async () => {
      const res = await t.http().get('/api/v1/probe/versioned');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"3"');
      const again = await t.http().get('/api/v1/probe/versioned').set('If-None-Match', '"3"');
      expect(again.status).toBe(304);
      expect(again.headers.etag).toBe('"3"');
      expect(again.headers['content-length']).toBeUndefined();
      expect(again.text).toBe('');
      const other = await t.http().get('/api/v1/probe/versioned').set('If-None-Match', '"2", "7"');
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ version: 3 });
    });

    it('PATCH with a stale If-Match is 412; with the current one it succeeds', async () => {
      const stale = await t.http().patch('/api/v1/probe/versioned').set('If-Match', '"2"');
      expect(stale.status).toBe(412);
      expect(stale.headers['content-type']).toMatch(PROBLEM);
      expect(stale.body.code).toBe('precondition_failed');
      const current = await t.http().patch('/api/v1/probe/versioned').set('If-Match', '"3"');
      expect(current.status).toBe(200);
      expect(current.headers.etag).toBe('"4"');
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for a retry with the same body, without running it again', async () => {
      const before = ProbeController.created;
      const first = await t
        .http()
        .post('/api/v1/probe/things')
        .set('Idempotency-Key', 'key-replay')
        .send({ title: 'Astana', capacity: 25 });
      const retry = await t
        .http()
        .post('/api/v1/probe/things')
        .set('Idempotency-Key', 'key-replay')
        .send({ capacity: 25, title: 'Astana' });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(ProbeController.created).toBe(before + 1);
    });

    it('refuses the same key with another body: 422', async () => {
      await t
        .http()
        .post('/api/v1/probe/things')
        .set('Idempotency-Key', 'key-other')
        .send({ title: 'Astana' });
      const res = await t
        .http()
        .post('/api/v1/probe/things')
        .set('Idempotency-Key', 'key-other')
        .send({ title: 'Almaty' });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('idempotency_key_reused');
    });

    it('answers a concurrent duplicate with 409 and runs the request once', async () => {
      const before = ProbeController.created;
      const send = () =>
        t
          .http()
          .post('/api/v1/probe/slow-things')
          .set('Idempotency-Key', 'key-race')
          .send({ title: 'Tashkent' });
      const [a, b] = await Promise.all([send(), send()]);
      expect([a.status, b.status].sort()).toEqual([202, 409]);
      expect((a.status === 409 ? a : b).body.code).toBe('idempotency_request_in_progress');
      expect(ProbeController.created).toBe(before + 1);
      const replay = await send();
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual((a.status === 202 ? a : b).body);
    });

    it('releases the key when the request fails, so a corrected retry runs', async () => {
      const invalid = await t
        .http()
        .post('/api/v1/probe/things')
        .set('Idempotency-Key', 'key-fix')
        .send({ title: 7 });
      expect(invalid.status).toBe(400);
      const fixed = await t
        .http()
        .post('/api/v1/probe/things')
        .set('Idempotency-Key', 'key-fix')
        .send({ title: 'Samarkand' });
      expect(fixed.status).toBe(201);
      expect(fixed.body.title).toBe('Samarkand');
    });

    it('rejects an unusable key with 400', async () => {
      const res = await t
        .http()
        .post('/api/v1/probe/things')
        .set('Idempotency-Key', 'x'.repeat(300))
        .send({ title: 'Astana' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' },
      ]);
    });
  });
  describe('201 Created and Location', () => {
    let agency: Agency;
    let auth: Record<string, string>;
    beforeAll(async () => {
      agency = await signUpAgency(t);
      auth = bearer(agency.owner.accessToken);
    });

    /** A 201 whose Location is `collection/{id}` and resolves, with a GET, to what was created. */
    async function expectCreated(response: Response, collection: string) {
      expect(response.status).toBe(201);
      const created = response.body as { id: string; version: number };
      expect(response.headers.location).toBe(`${collection}/${created.id}`);
      const fetched = await t.http().get(response.headers.location).set(auth);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ id: created.id, version: created.version });
      return created;
    }

    it('names the new resource for the directory, trips, stations and participants', async () => {
      const organisation = await expectCreated(
        await t
          .http()
          .post('/api/v1/partner-organisations')
          .set(auth)
          .send({ name: 'Chamber of Commerce of Kazakhstan', kind: 'chamber', country: 'KZ' }),
        '/api/v1/partner-organisations',
      );
      const contactCreated = await t
        .http()
        .post('/api/v1/contacts')
        .set(auth)
        .set('Origin', 'https://desk.agency.example')
        .send({
          partnerOrganisationId: organisation.id,
          firstName: 'Aigerim',
          lastName: 'Sadykova',
          email: uniqueEmail('aigerim'),
        });
      const contact = await expectCreated(contactCreated, '/api/v1/contacts');
      // Browsers of allowed origins may read it.
      expect(contactCreated.headers['access-control-expose-headers']).toMatch(/\bLocation\b/);
      const trip = await expectCreated(
        await t.http().post('/api/v1/trips').set(auth).send({
          title: 'Markterkundungsreise Kasachstan',
          kind: 'market_exploration',
          startDate: '2031-09-21',
          endDate: '2031-09-27',
          capacity: 20,
        }),
        '/api/v1/trips',
      );
      await expectCreated(
        await t.http().post(`/api/v1/trips/${trip.id}/stations`).set(auth).send({
          city: 'Almaty',
          country: 'KZ',
          timezone: 'Asia/Almaty',
          arrivalDate: '2031-09-21',
          departureDate: '2031-09-24',
        }),
        `/api/v1/trips/${trip.id}/stations`,
      );
      await expectCreated(
        await t
          .http()
          .post(`/api/v1/trips/${trip.id}/participants`)
          .set(auth)
          .send({ contactId: contact.id, role: 'member', category: 'business' }),
        `/api/v1/trips/${trip.id}/participants`,
      );
    });

    it('names the new staff member and the new API key', async () => {
      await expectCreated(
        await t
          .http()
          .post('/api/v1/users')
          .set(auth)
          .send({
            email: uniqueEmail('organiser'),
            name: 'Jonas Keller',
            role: 'organiser',
            password: PASSWORD,
          }),
        '/api/v1/users',
      );
      const key = await t
        .http()
        .post('/api/v1/api-keys')
        .set(auth)
        .send({ name: 'CRM sync', scopes: ['directory:read'] });
      await expectCreated(key, '/api/v1/api-keys');
      expect((key.body as { key: string }).key).toMatch(/^dd_/);
    });

    it('names the agency a sign-up created', async () => {
      const signup = await t
        .http()
        .post('/api/v1/auth/signup')
        .send({
          tenantName: 'Sachsen International',
          name: 'Petra Lange',
          email: uniqueEmail('owner'),
          password: PASSWORD,
        });
      expect(signup.status).toBe(201);
      expect(signup.headers.location).toBe('/api/v1/tenant');
      const token = (signup.body as { accessToken: string }).accessToken;
      const me = await t.http().get('/api/v1/me').set(bearer(token)).expect(200);
      const tenant = await t.http().get(signup.headers.location).set(bearer(token)).expect(200);
      expect(tenant.body).toMatchObject({
        id: (me.body as { tenant: { id: string } }).tenant.id,
        name: 'Sachsen International',
      });
    });

    it('names the self-service page of a registration made through an invitation link', async () => {
      const trip = await openTrip(t, agency);
      const [invitee] = await addContacts(t, agency, 1);
      await t
        .http()
        .post(`/api/v1/trips/${trip.id}/invitations`)
        .set(auth)
        .send({ contactIds: [invitee.id] })
        .expect(200);
      const [invitation] = await t.dataSource.query<{ id: string; token_nonce: string }[]>(
        'SELECT id, token_nonce FROM invitations WHERE trip_id = $1',
        [trip.id],
      );
      // The link the invitation email carries, signed here rather than read from a mail sink.
      const token = t.app
        .get(PublicTokens)
        .sign('invitation', invitation.id, invitation.token_nonce);

      const registered = await t
        .http()
        .post(`/api/v1/public/invitations/${token}/registration`)
        .send({ category: 'business', consent: true });

      expect(registered.status).toBe(201);
      const body = registered.body as { registrationToken: string; version: number };
      expect(registered.headers.location).toBe(
        `/api/v1/public/registrations/${body.registrationToken}`,
      );
      const page = await t.http().get(registered.headers.location).expect(200);
      expect(page.body).toMatchObject({
        status: 'confirmed',
        version: body.version,
        participant: { lastName: invitee.lastName },
      });
    });
  });
});
