import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { PiiCipher } from '../src/common/crypto/pii-cipher.js';
import { loadConfig } from '../src/config/app-config.js';
import { Changes } from '../src/modules/audit/changes.js';
import { TRIP } from '../src/modules/trips/trips.subjects.js';
import { secretContext } from '../src/modules/webhooks/webhook-secrets.sealing.js';
import { WEBHOOK_EVENT_TYPES } from '../src/modules/webhooks/webhooks.constants.js';
import { expectProblem } from './support/api.js';
import { addParticipant, createContact, createTrip, tag } from './support/factories.js';
import { addApiKey, addStaff, bearer, signUpAgency, type Agency } from './support/identity.js';
import { eventually, openTrip } from './support/messaging.js';
import { RedisServer } from './support/redis-server.js';
import { runCli } from './support/cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { WebhookReceiver, type Received } from './support/webhook-receiver.js';

interface EndpointBody {
  id: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  secret?: string;
  previousSecretExpiresAt: string | null;
}

interface DeliveryBody {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  log: {
    requestId: string;
    attempt: number;
    responseStatus: number | null;
    responseBody: string | null;
    error: string | null;
    nextRetryAt: string | null;
  }[];
}

interface Payload {
  id: string;
  type: string;
  timestamp: string;
  tenantId: string;
  data: {
    resource: { type: string; id: string; url: string };
    tripId: string;
    sequence: number;
    changedFields: string[];
  };
}

/** The key an operator rotates to: known to the API from the start, second, so nothing is sealed with it yet. */
const NEXT_KEY = `k2031:${Buffer.alloc(32, 7).toString('base64')}`;

const headersOf = (request: Received): Record<string, string> => ({
  'webhook-id': String(request.headers['webhook-id']),
  'webhook-timestamp': String(request.headers['webhook-timestamp']),
  'webhook-signature': String(request.headers['webhook-signature']),
});

/**
 * Webhooks (issue 20) against a local plain-http receiver at `localhost`
 * (allowed by WEBHOOK_ALLOWED_HOSTS), a real worker, and a private Redis this file may
 * flush: signed Standard Webhooks deliveries written with the change, retried
 * with the log showing each attempt, surviving a Redis flush and a stopped
 * worker; private addresses refused; endpoints private to their agency.
 */
describe('webhooks', () => {
  let redis: RedisServer;
  let t: TestApp;
  let receiver: WebhookReceiver;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    redis = await RedisServer.start();
    receiver = await WebhookReceiver.start();
    t = await startTestApp({
      worker: true,
      config: {
        REDIS_URL: redis.url,
        // The receiver by name only: this machine's other names, resolving to 127.0.0.1 too,
        // stay refused (an allowed IP would let every name that resolves to it through).
        WEBHOOK_ALLOWED_HOSTS: ['localhost'],
        WEBHOOK_RETRY_DELAY_MS: 300,
        PII_ENCRYPTION_KEYS: [...loadConfig(process.env).PII_ENCRYPTION_KEYS, NEXT_KEY],
        RELAY_INTERVAL_MS: 200,
        RELAY_REQUEUE_AFTER_MS: 1000,
      },
    });
    desk = await signUpAgency(t);
    auth = bearer(desk.owner.accessToken);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
    await redis?.dispose();
  });

  const register = async (eventTypes: string[], url = receiver.url): Promise<EndpointBody> =>
    (
      await t
        .http()
        .post('/api/v1/webhook-endpoints')
        .set(auth)
        .send({ url, eventTypes, description: `CRM ${tag()}` })
        .expect(201)
    ).body as EndpointBody;

  const deliveries = async (endpointId: string): Promise<DeliveryBody[]> =>
    (
      (
        await t
          .http()
          .get(`/api/v1/webhook-endpoints/${endpointId}/deliveries`)
          .set(auth)
          .expect(200)
      ).body as { items: DeliveryBody[] }
    ).items;

  /** A new draft trip, titled `label` and a tag. */
  const draftTrip = (label: string) =>
    createTrip(t, desk, {
      title: `${label} ${tag()}`,
      kind: 'delegation',
      startDate: '2030-05-01',
      endDate: '2030-05-05',
      capacity: 10,
      countries: ['KZ'],
    });

  /** Moves a draft trip on: a `trip.status_changed` event. */
  const plan = (tripId: string) =>
    t
      .http()
      .post(`/api/v1/trips/${tripId}/transitions`)
      .set(auth)
      .send({ to: 'planned' })
      .expect(200);

  const switchOff = (endpoint: EndpointBody) =>
    t
      .http()
      .patch(`/api/v1/webhook-endpoints/${endpoint.id}`)
      .set(auth)
      .send({ active: false })
      .expect(200);

  it('a registration is one signed participant.registered delivery that verifies with the secret shown once', async () => {
    const endpoint = await register(['participant.registered']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const shown = await t
      .http()
      .get(`/api/v1/webhook-endpoints/${endpoint.id}`)
      .set(auth)
      .expect(200);
    expect(shown.body).not.toHaveProperty('secret');

    const trip = await openTrip(t, desk);
    const contact = await createContact(t, desk, {
      firstName: 'Aigerim',
      lastName: 'Sadykova',
      email: `aigerim.${tag()}@example.org`,
    });
    const participant = await addParticipant(t, desk, trip.id, { contactId: contact.id });
    await eventually(() => receiver.of('participant.registered').length === 1, 15_000, 'delivery');
    // A status change is not subscribed to: nothing more arrives.
    await t
      .http()
      .post(`/api/v1/trips/${trip.id}/participants/${participant.id}/transitions`)
      .set(auth)
      .send({ to: 'cancelled' })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const requests = receiver.received.filter((request) => request.body.includes(participant.id));
    expect(requests).toHaveLength(1);

    const [request] = requests;
    const payload = new Webhook(endpoint.secret!).verify(
      request.body,
      headersOf(request),
    ) as Payload;
    expect(payload).toEqual({
      id: expect.any(String),
      type: 'participant.registered',
      timestamp: expect.any(String),
      tenantId: desk.tenantId,
      data: {
        resource: {
          type: 'participant',
          id: participant.id,
          url: `/api/v1/trips/${trip.id}/participants/${participant.id}`,
        },
        tripId: trip.id,
        sequence: expect.any(Number),
        changedFields: expect.arrayContaining(['contactId', 'status']),
      },
    });
    // Thin: no name, no address.
    expect(request.body).not.toMatch(/Sadykova|Aigerim|example\.org/);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        request.body,
        headersOf(request),
      ),
    ).toThrow();
    // The integrator can read what the URL names.
    await t.http().get(payload.data.resource.url).set(auth).expect(200);
    await switchOff(endpoint);
  });

  it('a receiver answering 500 twice gets the event on the third attempt; the log shows all three', async () => {
    const endpoint = await register(['trip.status_changed']);
    receiver.answers = [500, 500];
    const trip = await draftTrip('Retry');
    await plan(trip.id);
    await eventually(
      async () => (await deliveries(endpoint.id))[0]?.status === 'succeeded',
      20_000,
      'the third attempt',
    );
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ eventType: 'trip.status_changed', attempts: 3 });
    expect(delivery.log.map((attempt) => [attempt.attempt, attempt.responseStatus])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(delivery.log[0].responseBody).toBe('receiver says 500');
    expect(delivery.log[0].nextRetryAt).not.toBeNull();
    expect(delivery.log[2].nextRetryAt).toBeNull();
    // Every attempt carried the same webhook-id and its own request id.
    const attempts = receiver.received.filter(
      (request) => request.headers['webhook-id'] === delivery.id,
    );
    expect(attempts.map((request) => request.headers['x-request-id'])).toEqual(
      delivery.log.map((attempt) => attempt.requestId),
    );
    await switchOff(endpoint);
  });

  it('a change rolled back emits nothing; committed, it emits one event', async () => {
    const endpoint = await register(['trip.status_changed']);
    const trip = await draftTrip('Rollback');
    const changes = t.app.get(Changes);
    const change = (manager: Parameters<Changes['record']>[0]) =>
      changes.record(
        manager,
        { type: 'system', id: null, origin: { requestId: 'test', ip: '127.0.0.1' } },
        {
          tenantId: desk.tenantId,
          subject: TRIP,
          id: trip.id,
          action: 'trip.status_changed',
          changes: { status: { before: 'draft', after: 'planned' } },
        },
      );
    await expect(
      t.dataSource.transaction(async (manager) => {
        await change(manager);
        throw new Error('the write failed after the change was recorded');
      }),
    ).rejects.toThrow('the write failed');
    const count = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`,
          [endpoint.id],
        )
      )[0].n;
    expect(await count()).toBe(0);
    await t.dataSource.transaction((manager) => change(manager));
    expect(await count()).toBe(1);
    await eventually(
      async () => (await deliveries(endpoint.id))[0]?.status === 'succeeded',
      15_000,
      'delivery',
    );
    await switchOff(endpoint);
  });

  it('after FLUSHALL and a stopped worker, pending events are still delivered', async () => {
    const endpoint = await register(['trip.status_changed']);
    const trips = await Promise.all(Array.from({ length: 8 }, (_, n) => draftTrip(`Flush ${n}`)));
    const sentFor = (tripId: string) =>
      receiver.received.filter((request) => request.body.includes(tripId));

    // The receiver holds the first five attempts (the worker's concurrency); the other two wait
    // as jobs in Redis, which then loses them all.
    const before = receiver.received.length;
    receiver.hold();
    try {
      for (const trip of trips.slice(0, 7)) await plan(trip.id);
      await eventually(
        () => receiver.received.length - before === t.config.WORKER_CONCURRENCY,
        15_000,
        'five attempts held',
      );
      await eventually(
        async () =>
          (await deliveries(endpoint.id)).filter((delivery) => delivery.status === 'queued')
            .length === 2,
        15_000,
        'two waiting in Redis',
      );
      const client = redis.client();
      try {
        await client.flushall();
        expect(await client.dbsize()).toBe(0);
      } finally {
        client.disconnect();
      }
    } finally {
      receiver.release();
    }
    // The worker stops; one more change while none runs.
    await t.stopWorker();
    await plan(trips[7].id);
    await t.startWorker();

    await eventually(
      async () =>
        (await deliveries(endpoint.id)).filter((delivery) => delivery.status === 'succeeded')
          .length === 8,
      30_000,
      'all eight delivered',
    );
    for (const trip of trips) expect(sentFor(trip.id).length).toBeGreaterThanOrEqual(1);
    // Each event has one delivery, however often it was handed over.
    expect(new Set((await deliveries(endpoint.id)).map((delivery) => delivery.id)).size).toBe(8);
    await switchOff(endpoint);
  }, 60_000);

  it('takes up again an attempt whose worker died mid-way', async () => {
    const endpoint = await register(['trip.status_changed']);
    const trip = await draftTrip('Killed');
    // The worker is gone; the change is made; the row is left as a worker killed during the
    // attempt leaves it: `sending`, started two minutes ago, no outcome.
    await t.stopWorker();
    try {
      await plan(trip.id);
      await t.dataSource.query(
        `UPDATE webhook_deliveries SET status = 'sending', attempts = 1,
                handed_over_at = now() - interval '2 minutes'
          WHERE endpoint_id = $1`,
        [endpoint.id],
      );
    } finally {
      await t.startWorker();
    }
    await eventually(
      async () => (await deliveries(endpoint.id))[0]?.status === 'succeeded',
      15_000,
      'the attempt taken up again',
    );
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery.attempts).toBe(2);
    expect(receiver.received.filter((request) => request.body.includes(trip.id))).toHaveLength(1);
    await switchOff(endpoint);
  });

  it('refuses private, loopback, link-local and metadata addresses, also behind a host name', async () => {
    for (const url of [
      'http://127.0.0.2/hooks',
      'http://10.0.0.1/hooks',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hooks',
      'http://[::ffff:10.0.0.1]/hooks',
      // This machine's own name resolves (from /etc/hosts) to a loopback or private address.
      `http://${hostname()}/hooks`,
      'ftp://127.0.0.1/hooks',
    ]) {
      const response = await t
        .http()
        .post('/api/v1/webhook-endpoints')
        .set(auth)
        .send({ url, eventTypes: ['*'] });
      expectProblem(response, 400, 'validation_failed');
      expect([url, (response.body as { errors: { field: string }[] }).errors[0].field]).toEqual([
        url,
        'url',
      ]);
    }
    // A receiver registered before the rules changed is refused when delivering.
    const endpoint = await register(['*']);
    await t.dataSource.query(
      `UPDATE webhook_endpoints SET url = 'http://10.0.0.1/hooks' WHERE id = $1`,
      [endpoint.id],
    );
    const tested = await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/test`)
      .set(auth)
      .expect(200);
    expect(tested.body).toMatchObject({
      outcome: 'failed',
      attempt: {
        responseStatus: null,
        error: expect.stringMatching(/private, loopback, link-local/),
      },
    });
    await switchOff(endpoint);
  });

  it('rotating the secret signs with both secrets for a day', async () => {
    const endpoint = await register(['webhook.test']);
    const rotated = (
      await t
        .http()
        .post(`/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`)
        .set(auth)
        .expect(200)
    ).body as EndpointBody;
    expect(rotated.secret).not.toBe(endpoint.secret);
    const overlap = Date.parse(rotated.previousSecretExpiresAt!) - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3600_000);

    const tested = await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/test`)
      .set(auth)
      .expect(200);
    expect(tested.body).toMatchObject({ outcome: 'succeeded', attempt: { responseStatus: 200 } });
    const request = receiver.received.find(
      (received) =>
        received.headers['webhook-id'] === (tested.body as { deliveryId: string }).deliveryId,
    )!;
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret!, rotated.secret!]) {
      expect((new Webhook(secret).verify(request.body, headersOf(request)) as Payload).type).toBe(
        'webhook.test',
      );
    }
    await switchOff(endpoint);
  });

  /**
   * `npm run cli -- reencrypt` with NEXT_KEY first. In production every process runs with the new
   * key first by then; this API keeps it second, so that what the old key sealed is there to be
   * re-sealed.
   */
  const rotateKey = () =>
    runCli(t, ['reencrypt'], {
      PII_ENCRYPTION_KEYS: [NEXT_KEY, ...t.config.PII_ENCRYPTION_KEYS].join(','),
    });

  it('after a new encryption key is put first, `reencrypt` re-seals the signing secrets: the old key can go, deliveries stay signed', async () => {
    const endpoint = await register(['webhook.test']);
    const rotate = async (id: string) =>
      (await t.http().post(`/api/v1/webhook-endpoints/${id}/rotate-secret`).set(auth).expect(200))
        .body as EndpointBody;
    const rotated = await rotate(endpoint.id);
    // Rotated long ago: its previous secret no longer signs.
    const settled = await register(['webhook.test']);
    await rotate(settled.id);
    await t.dataSource.query(
      `UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 hour' WHERE id = $1`,
      [settled.id],
    );
    const etag = async (id: string) =>
      (await t.http().get(`/api/v1/webhook-endpoints/${id}`).set(auth).expect(200)).headers.etag;
    const etags = [await etag(endpoint.id), await etag(settled.id)];
    const updatedAt = () =>
      t.dataSource.query<{ id: string; updated_at: Date }[]>(
        `SELECT id, updated_at FROM webhook_endpoints ORDER BY id`,
      );
    const updatedBefore = await updatedAt();

    const reencrypt = async () => {
      const cli = rotateKey();
      expect({ ...(await cli.exited), stderr: cli.stderr() }).toEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
      return cli.stdout();
    };
    expect(await reencrypt()).toMatch(
      /Re-sealed .*[1-9]\d* webhook signing secret\(s\) with key "k2031"/,
    );
    // Nothing is left for the old key: a second run re-seals nothing.
    expect(await reencrypt()).toMatch(
      /Re-sealed 0 travel document\(s\), 0 webhook signing secret\(s\)/,
    );

    const rows = await t.dataSource.query<
      {
        id: string;
        secret_key_id: string;
        secret: Buffer;
        previous_secret_key_id: string | null;
        previous_secret: Buffer | null;
      }[]
    >(
      `SELECT id, secret_key_id, secret, previous_secret_key_id, previous_secret FROM webhook_endpoints`,
    );
    expect(rows.every((row) => row.secret_key_id === 'k2031')).toBe(true);
    // Only the new key is needed now: the secrets the agency was shown open with it alone.
    const onlyNext = new PiiCipher(loadConfig({ PII_ENCRYPTION_KEYS: NEXT_KEY }));
    const row = rows.find((r) => r.id === endpoint.id)!;
    expect(onlyNext.open({ keyId: 'k2031', data: row.secret }, secretContext(endpoint.id))).toBe(
      rotated.secret,
    );
    expect(row.previous_secret_key_id).toBe('k2031');
    expect(
      onlyNext.open(
        { keyId: 'k2031', data: row.previous_secret! },
        secretContext(endpoint.id, 'previous'),
      ),
    ).toBe(endpoint.secret);
    // The expired previous secret is dropped, not carried over.
    expect(rows.find((r) => r.id === settled.id)).toMatchObject({
      previous_secret_key_id: null,
      previous_secret: null,
    });
    // Re-sealing is no change of the endpoints.
    expect([await etag(endpoint.id), await etag(settled.id)]).toEqual(etags);
    expect(await updatedAt()).toEqual(updatedBefore);

    // Deliveries are still signed with both secrets of the overlap.
    const tested = await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/test`)
      .set(auth)
      .expect(200);
    expect(tested.body).toMatchObject({ outcome: 'succeeded' });
    const request = receiver.received.find(
      (received) =>
        received.headers['webhook-id'] === (tested.body as { deliveryId: string }).deliveryId,
    )!;
    for (const secret of [endpoint.secret!, rotated.secret!]) {
      expect((new Webhook(secret).verify(request.body, headersOf(request)) as Payload).type).toBe(
        'webhook.test',
      );
    }
    await switchOff(endpoint);
    await switchOff(settled);
  });

  it('a secret `reencrypt` cannot open is named and left as it is; the endpoint’s other secret is re-sealed', async () => {
    const endpoint = await register(['webhook.test']);
    await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`)
      .set(auth)
      .expect(200);
    // The previous secret's bytes damaged (a bad restore, say): no key opens them.
    await t.dataSource.query(
      `UPDATE webhook_endpoints SET previous_secret = set_byte(previous_secret, 20, get_byte(previous_secret, 20) # 1) WHERE id = $1`,
      [endpoint.id],
    );
    const cli = rotateKey();
    expect((await cli.exited).code).toBe(1);
    expect(cli.stderr()).toContain(
      `Cannot open the previous secret of webhook endpoint ${endpoint.id}`,
    );
    expect(cli.stderr()).toMatch(/1 webhook signing secret\(s\) could not be re-sealed/);
    expect(cli.stdout()).toMatch(/Re-sealed .*[1-9]\d* webhook signing secret\(s\)/);
    const [row] = await t.dataSource.query<
      { secret_key_id: string; previous_secret_key_id: string }[]
    >(`SELECT secret_key_id, previous_secret_key_id FROM webhook_endpoints WHERE id = $1`, [
      endpoint.id,
    ]);
    expect(row).toEqual({
      secret_key_id: 'k2031',
      previous_secret_key_id: loadConfig(process.env).PII_ENCRYPTION_KEYS[0].split(':')[0],
    });
    await switchOff(endpoint);
  });

  it('does not follow a redirect: a 3xx answer is a failed attempt', async () => {
    const endpoint = await register(['webhook.test']);
    receiver.answers = [302];
    const tested = await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/test`)
      .set(auth)
      .expect(200);
    expect(tested.body).toMatchObject({ outcome: 'failed', attempt: { responseStatus: 302 } });
    await switchOff(endpoint);
  });

  it('keeps a receiver’s answer in the log even when it is binary', async () => {
    const endpoint = await register(['webhook.test']);
    receiver.answers = [500];
    receiver.bodies = ['\u001f\u008b\u0008\u0000binary\u0000answer'];
    const tested = await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/test`)
      .set(auth)
      .expect(200);
    expect(tested.body).toMatchObject({ outcome: 'failed', attempt: { responseStatus: 500 } });
    expect((tested.body as { attempt: { responseBody: string } }).attempt.responseBody).toContain(
      'binary\uFFFDanswer',
    );
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery.log[0].responseBody).toContain('binary\uFFFDanswer');
    await switchOff(endpoint);
  });

  it('documents a JSON schema for every event of the catalogue in the contract', () => {
    const contract = JSON.parse(readFileSync('openapi.json', 'utf8')) as {
      'x-webhooks': Record<
        string,
        { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }
      >;
      components: { schemas: Record<string, { properties: { type: { enum: string[] } } }> };
    };
    expect(Object.keys(contract['x-webhooks'])).toEqual([...WEBHOOK_EVENT_TYPES]);
    for (const [type, webhook] of Object.entries(contract['x-webhooks'])) {
      const ref = webhook.post.requestBody.content['application/json'].schema.$ref;
      const schema = contract.components.schemas[ref.replace('#/components/schemas/', '')];
      expect([type, schema.properties.type.enum]).toEqual([type, [type]]);
    }
  });

  it('keeps endpoints and deliveries to their agency, for owners and admins', async () => {
    const endpoint = await register(['webhook.test']);
    await t.http().post(`/api/v1/webhook-endpoints/${endpoint.id}/test`).set(auth).expect(200);
    const [delivery] = await deliveries(endpoint.id);
    const rival = bearer((await signUpAgency(t)).owner.accessToken);
    for (const [method, path] of [
      ['get', `/api/v1/webhook-endpoints/${endpoint.id}`],
      ['patch', `/api/v1/webhook-endpoints/${endpoint.id}`],
      ['delete', `/api/v1/webhook-endpoints/${endpoint.id}`],
      ['get', `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`],
      ['post', `/api/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}/redeliver`],
      ['post', `/api/v1/webhook-endpoints/${endpoint.id}/test`],
      ['post', `/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`],
    ] as const) {
      expectProblem(
        await t.http()[method](path).set(rival).send({ active: false }),
        404,
        'not_found',
      );
    }
    const listed = (await t.http().get('/api/v1/webhook-endpoints').set(rival).expect(200))
      .body as { items: unknown[] };
    expect(listed.items).toEqual([]);

    const organiser = await addStaff(t, desk, 'organiser');
    expectProblem(
      await t.http().get('/api/v1/webhook-endpoints').set(bearer(organiser.accessToken)),
      403,
      'forbidden',
    );
    const reader = (await addApiKey(t, desk, ['webhooks:read'])).key;
    await t.http().get('/api/v1/webhook-endpoints').set('X-API-Key', reader).expect(200);
    expectProblem(
      await t
        .http()
        .post('/api/v1/webhook-endpoints')
        .set('X-API-Key', reader)
        .send({ url: receiver.url, eventTypes: ['*'] }),
      403,
      'forbidden',
    );

    // Redelivery: the same webhook-id again.
    const again = await t
      .http()
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}/redeliver`)
      .set(auth)
      .expect(202);
    expect(again.body).toMatchObject({ id: delivery.id, status: 'scheduled' });
    await eventually(
      () =>
        receiver.received.filter((request) => request.headers['webhook-id'] === delivery.id)
          .length === 2,
      15_000,
      'the redelivery',
    );
    // Audited, the secret nowhere in the trail.
    const trail = (
      await t.http().get(`/api/v1/audit-events?entityId=${endpoint.id}`).set(auth).expect(200)
    ).body as { items: { action: string }[] };
    expect(trail.items.map((event) => event.action)).toContain('webhook_endpoint.created');
    expect(JSON.stringify(trail.items)).not.toContain('whsec_');
  });

  it('tells of follow-ups coming due and messages that failed, once each', async () => {
    const endpoint = await register(['follow_up.due', 'notification.failed']);
    const organisation = (
      await t
        .http()
        .post('/api/v1/partner-organisations')
        .set(auth)
        .send({ name: `Kammer ${tag()}`, kind: 'chamber', country: 'KZ' })
        .expect(201)
    ).body as { id: string };
    const agreement = (
      await t
        .http()
        .post('/api/v1/agreements')
        .set(auth)
        .send({
          title: `MoU ${tag()}`,
          kind: 'mou',
          category: 'business',
          parties: [{ organisationId: organisation.id }],
        })
        .expect(201)
    ).body as { id: string };
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
      new Date(),
    );
    const followUp = (
      await t
        .http()
        .post(`/api/v1/agreements/${agreement.id}/follow-ups`)
        .set(auth)
        .send({ title: 'Entwurf schicken', dueOn: today, ownerUserId: desk.owner.id })
        .expect(201)
    ).body as { id: string };
    // A message that could not be delivered.
    const trip = await openTrip(t, desk);
    const contact = await createContact(t, desk, {
      lastName: 'Nurlanova',
      email: `n.${tag()}@example.org`,
    });
    await t
      .http()
      .post(`/api/v1/trips/${trip.id}/invitations`)
      .set(auth)
      .send({ contactIds: [contact.id] })
      .expect(200);
    const [[message]] = await t.dataSource.query<[{ id: string }[], number]>(
      `UPDATE notifications SET status = 'failed', updated_at = now()
        WHERE tenant_id = $1 AND contact_id = $2 RETURNING id`,
      [desk.tenantId, contact.id],
    );
    // The planner looks when a worker starts, then every minute.
    await t.stopWorker();
    await t.startWorker();
    await eventually(
      async () =>
        (await deliveries(endpoint.id)).filter((d) => d.status === 'succeeded').length === 2,
      15_000,
      'both events',
    );
    const payloads = receiver.received
      .map((request) => JSON.parse(request.body) as Payload)
      .filter((payload) => [followUp.id, message.id].includes(payload.data.resource.id));
    expect(payloads.map((payload) => [payload.type, payload.data.resource.url]).sort()).toEqual([
      ['follow_up.due', `/api/v1/agreements/${agreement.id}/follow-ups/${followUp.id}`],
      ['notification.failed', `/api/v1/notifications/${message.id}`],
    ]);
    // Planning again does not send them again.
    await t.stopWorker();
    await t.startWorker();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await deliveries(endpoint.id)).toHaveLength(2);
    await switchOff(endpoint);
  }, 45_000);

  it('switches off an endpoint failing for three days and tells the agency’s admins', async () => {
    const endpoint = await register(['trip.status_changed']);
    const admin = await addStaff(t, desk, 'admin');
    await t.dataSource.query(
      `UPDATE webhook_endpoints SET failing_since = now() - interval '3 days 1 hour' WHERE id = $1`,
      [endpoint.id],
    );
    // A test event says nothing of the receiver's health: it switches nothing off.
    receiver.answers = [503];
    await t.http().post(`/api/v1/webhook-endpoints/${endpoint.id}/test`).set(auth).expect(200);
    const stillOn = (
      await t.http().get(`/api/v1/webhook-endpoints/${endpoint.id}`).set(auth).expect(200)
    ).body as { active: boolean };
    expect(stillOn.active).toBe(true);
    // A real event failing once more does.
    receiver.answers = [503];
    const trip = await draftTrip('Failing');
    await plan(trip.id);
    await eventually(
      async () =>
        !(
          (await t.http().get(`/api/v1/webhook-endpoints/${endpoint.id}`).set(auth).expect(200))
            .body as { active: boolean }
        ).active,
      15_000,
      'the endpoint switched off',
    );
    const shown = (
      await t.http().get(`/api/v1/webhook-endpoints/${endpoint.id}`).set(auth).expect(200)
    ).body as {
      active: boolean;
      disabledForFailuresAt: string | null;
    };
    expect(shown.active).toBe(false);
    expect(shown.disabledForFailuresAt).not.toBeNull();
    const trail = (
      await t.http().get(`/api/v1/audit-events?entityId=${endpoint.id}`).set(auth).expect(200)
    ).body as {
      items: { action: string; actorType: string }[];
    };
    expect(trail.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'webhook_endpoint.disabled', actorType: 'system' }),
      ]),
    );
    // The owner and the admin each get a message, in the outbox with the change.
    const told = await t.dataSource.query<{ recipient_email: string }[]>(
      `SELECT recipient_email FROM notifications WHERE kind = 'webhook_endpoint_disabled' AND subject_id = $1 ORDER BY recipient_email`,
      [endpoint.id],
    );
    expect(told.map((row) => row.recipient_email).sort()).toEqual(
      [admin.email, desk.owner.email].sort(),
    );
    await eventually(
      async () =>
        (
          await t.dataSource.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM notifications WHERE kind = 'webhook_endpoint_disabled' AND subject_id = $1 AND status = 'sent'`,
            [endpoint.id],
          )
        )[0].n === 2,
      15_000,
      'both messages sent',
    );
    // Events meanwhile do not go there; switched on again, it starts with a clean record.
    const again = (
      await t
        .http()
        .patch(`/api/v1/webhook-endpoints/${endpoint.id}`)
        .set(auth)
        .send({ active: true })
        .expect(200)
    ).body as {
      active: boolean;
      failingSince: string | null;
      disabledForFailuresAt: string | null;
    };
    expect(again).toMatchObject({ active: true, failingSince: null, disabledForFailuresAt: null });
    await switchOff(endpoint);
  });
});
