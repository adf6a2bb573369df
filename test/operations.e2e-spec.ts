import { JobName, QueueName } from '../src/queue/jobs.js';
import { Queues } from '../src/queue/queues.js';
import { expectProblem } from './support/api.js';
import { launchBrowser } from './support/browser.js';
import { RedisServer } from './support/redis-server.js';
import { signUpAgency } from './support/identity.js';
import { invite } from './support/delivery.js';
import { addContacts, eventually, openTrip, startWithSink } from './support/messaging.js';
import type { SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const METRICS_TOKEN = 'scrape-me-please-0123456789';
const DASHBOARD = { user: 'ops', password: 'correct-horse-battery' };

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operations: metrics an operator watches', () => {
  let t: TestApp;
  let sink: SmtpSink;

  beforeAll(async () => {
    ({ t, sink } = await startWithSink({
      worker: false,
      config: { METRICS_TOKEN, NOTIFICATION_RETRY_DELAY_MS: 200 },
    }));
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const scrape = async () => {
    const res = await t
      .http()
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
    return res.text;
  };

  it('/metrics refuses a scrape without its token, or with another one (401 problem+json)', async () => {
    expectProblem(await t.http().get('/metrics'), 401, 'unauthenticated');
    expectProblem(
      await t.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`),
      401,
      'unauthenticated',
    );
    expectProblem(
      await t.http().get('/metrics').set('Authorization', METRICS_TOKEN),
      401,
      'unauthenticated',
    );
    const text = await scrape();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('shows the outbox backlog while no worker runs, then mails sent, retried and failed jobs once one does', async () => {
    let text = await scrape();
    expect(sample(text, 'worker_up')).toBe(0);
    expect(sample(text, 'worker_last_heartbeat_timestamp_seconds')).toBe(0);
    expect(sample(text, 'outbox_backlog_messages{status="scheduled"}')).toBe(0);
    expect(sample(text, 'outbox_oldest_due_message_age_seconds')).toBe(0);

    const agency = await signUpAgency(t);
    const trip = await openTrip(t, agency);
    const contacts = await addContacts(t, agency, 3);
    expect(
      await invite(
        t,
        agency,
        trip.id,
        contacts.map((contact) => contact.id),
      ),
    ).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    text = await scrape();
    expect(sample(text, 'outbox_backlog_messages{status="scheduled"}')).toBe(3);
    expect(sample(text, 'outbox_backlog_messages{status="queued"}')).toBe(0);
    expect(sample(text, 'outbox_oldest_due_message_age_seconds')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'mail_messages_total{outcome="sent"}')).toBe(0);

    // One temporary refusal: that message is retried, then everything goes out.
    sink.rejectNext(451, 1);
    await t.startWorker();
    await eventually(
      async () => sample(await scrape(), 'mail_messages_total{outcome="sent"}') === 3,
      20_000,
      'three mails counted as sent',
    );
    text = await scrape();
    expect(sample(text, 'mail_messages_total{outcome="retried"}')).toBe(1);
    expect(sample(text, 'mail_messages_total{outcome="failed"}')).toBe(0);
    expect(sample(text, 'jobs_failed_total{queue="notifications"}')).toBe(1);
    expect(sample(text, 'outbox_backlog_messages{status="scheduled"}')).toBe(0);
    expect(sample(text, 'outbox_oldest_due_message_age_seconds')).toBe(0);
    expect(sample(text, 'worker_up')).toBe(1);
    const lastBeat = sample(text, 'worker_last_heartbeat_timestamp_seconds')!;
    expect(Date.now() / 1000 - lastBeat).toBeLessThan(5);
    expect(sink.messages).toHaveLength(3);
  });

  it("reports this process's database pool", async () => {
    const text = await scrape();
    const size = t.config.DATABASE_POOL_SIZE;
    const inUse = sample(text, 'db_pool_connections{state="in_use"}');
    const idle = sample(text, 'db_pool_connections{state="idle"}');
    expect(inUse).toBeGreaterThanOrEqual(0);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(inUse! + idle!).toBeLessThanOrEqual(size);
    expect(sample(text, 'db_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(0);
  });
});

describe('operations: what is served, and to whom', () => {
  it('in production without METRICS_TOKEN, /metrics is not served at all', async () => {
    const t = await startTestApp({
      config: {
        NODE_ENV: 'production',
        JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
        PII_ENCRYPTION_KEYS: [`prod:${Buffer.alloc(32, 7).toString('base64')}`],
      },
    });
    try {
      expectProblem(await t.http().get('/metrics'), 404, 'not_found');
      expect((await t.http().get('/health/ready')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('while Redis is down, /metrics still answers promptly: database figures, and no worker', async () => {
    const redis = await RedisServer.start();
    const t = await startTestApp({ config: { REDIS_URL: redis.url, METRICS_TOKEN } });
    try {
      await redis.stop();
      const started = Date.now();
      const res = await t
        .http()
        .get('/metrics')
        .set('Authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200);
      // Each source waits at most its own time limit (2 s), not for Redis to come back.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(sample(res.text, 'worker_up')).toBe(0);
      expect(sample(res.text, 'outbox_backlog_messages{status="scheduled"}')).toBe(0);
      expect(sample(res.text, 'db_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(0);
    } finally {
      if (!redis.running) await redis.restart();
      await t.close();
      await redis.dispose();
    }
  });

  it('sends no CORS headers at all, and answers no preflight, when no origin is configured', async () => {
    const t = await startTestApp();
    try {
      const response = await t
        .http()
        .get('/health/live')
        .set('Origin', 'https://desk.agency.example');
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-expose-headers']).toBeUndefined();
      expect(response.headers.vary).toBeUndefined();
      const preflight = await t
        .http()
        .options('/api/v1/trips')
        .set('Origin', 'https://desk.agency.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('the queue dashboard is off unless credentials are configured', async () => {
    const t = await startTestApp();
    try {
      expect((await t.http().get('/admin/queues')).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('with credentials, the queue dashboard asks for them and then shows every queue', async () => {
    const t = await startTestApp({
      config: { QUEUE_DASHBOARD_CREDENTIALS: `${DASHBOARD.user}:${DASHBOARD.password}` },
    });
    try {
      const refused = await t.http().get('/admin/queues');
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Basic realm=/);
      const wrong = await t.http().get('/admin/queues').auth(DASHBOARD.user, 'not-the-password');
      expect(wrong.status).toBe(401);
      expect((await t.http().get('/admin/queues/api/queues')).status).toBe(401);

      const page = await t.http().get('/admin/queues').auth(DASHBOARD.user, DASHBOARD.password);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<title>Delegation Desk queues</title>');
      const api = await t
        .http()
        .get('/admin/queues/api/queues')
        .auth(DASHBOARD.user, DASHBOARD.password)
        .expect(200);
      const names = (api.body as { queues: { name: string }[] }).queues.map((queue) => queue.name);
      expect(names.sort()).toEqual(['notifications', 'system', 'webhooks']);
    } finally {
      await t.close();
    }
  });

  it('in a browser, the queue dashboard opens with its credentials and shows the queues and a waiting job', async () => {
    const t = await startTestApp({
      config: { QUEUE_DASHBOARD_CREDENTIALS: `${DASHBOARD.user}:${DASHBOARD.password}` },
    });
    const browser = await launchBrowser();
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const base = await t.app.getUrl();
      // No worker runs in this test: the job stays waiting.
      const queue = await t.app.get(Queues).get(QueueName.System);
      await queue.add(JobName.SystemPing, { sentAt: new Date().toISOString() });

      // Without credentials the browser gets the basic-auth challenge and shows nothing.
      const refused = await browser.newPage();
      await expect(refused.goto(`${base}/admin/queues`)).rejects.toThrow(
        /ERR_INVALID_AUTH_CREDENTIALS/,
      );

      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        // The dashboard asks Google for a web font; our Content-Security-Policy says no.
        if (message.type() === 'error' && !message.text().includes('fonts.googleapis.com'))
          errors.push(message.text());
      });
      await page.authenticate({ username: DASHBOARD.user, password: DASHBOARD.password });
      const response = await page.goto(`${base}/admin/queues`, { waitUntil: 'networkidle0' });
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('Delegation Desk queues');
      const text = String(await page.evaluate('document.body.innerText'));
      expect(text).toMatch(/notifications/);
      expect(text).toMatch(/system[\s\S]*1 Jobs?/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await t.close();
    }
  });
});
