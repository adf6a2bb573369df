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

    it('sets security headers', async () => {
      const res = await t.http().get('/health/live');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-frame-options']).toBeDefined();
    });

    it('allows CORS only for configured origins', async () => {
      const allowed = await t
        .http()
        .get('/health/live')
        .set('Origin', 'https://desk.agency.example');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://desk.agency.example');
      const other = await t.http().get('/health/live').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('ETag and If-Match', () => {
    it('GET returns an ETag and answers a matching If-None-Match with 304', async () => {
      const res = await t.http().get('/api/v1/probe/versioned');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"3"');
      const again = await t.http().get('/api/v1/probe/versioned').set('If-None-Match', '"3"');
      expect(again.status).toBe(304);
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
});
