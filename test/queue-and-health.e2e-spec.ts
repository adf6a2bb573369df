import { Queues } from '../src/queue/queues.js';
import { JobName, QueueName } from '../src/queue/jobs.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('queue worker and readiness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('the API process never consumes jobs: without a worker nothing is connected to the queue', async () => {
    const queue = await t.app.get(Queues).get(QueueName.System);
    expect(await queue.getWorkers()).toHaveLength(0);
  });

  it('with no worker running the API is still ready, and /health/worker is 503 problem+json naming it', async () => {
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ok',
      details: { database: expect.objectContaining({ status: 'up' }), redis: { status: 'up' } },
    });

    const worker = await t.http().get('/health/worker');
    expect(worker.status).toBe(503);
    expect(worker.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(worker.body).toMatchObject({ code: 'not_ready', detail: 'Not ready: worker down.' });
    expect(worker.body.checks).toEqual({
      worker: { status: 'down', message: 'no worker has reported in recently' },
    });
  });

  it('a job enqueued by the API is processed by the worker, and /health/worker turns 200', async () => {
    await t.startWorker();
    const sentAt = new Date().toISOString();
    const result = await t.app.get(Queues).enqueueAndWait(JobName.SystemPing, { sentAt }, 10_000);
    expect(result.sentAt).toBe(sentAt);
    expect(new Date(result.receivedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(sentAt).getTime(),
    );
    expect(await (await t.app.get(Queues).get(QueueName.System)).getWorkers()).toHaveLength(1);

    const worker = await t.http().get('/health/worker');
    expect(worker.status).toBe(200);
    expect(worker.body.details.worker).toMatchObject({ status: 'up', lastWorker: result.workerId });
  });

  it('the worker schedules the recurring housekeeping jobs', async () => {
    const schedulers = await (await t.app.get(Queues).get(QueueName.System)).getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.name)).toContain(
      JobName.SystemPurgeIdempotencyKeys,
    );
  });

  it('a schedule Redis lost (flush, restart) is restored by the running worker within a heartbeat or two', async () => {
    const queue = await t.app.get(Queues).get(QueueName.System);
    await queue.removeJobScheduler(JobName.SystemPurgeIdempotencyKeys);
    expect(await queue.getJobScheduler(JobName.SystemPurgeIdempotencyKeys)).toBeUndefined();
    const deadline = Date.now() + 10_000;
    while (!(await queue.getJobScheduler(JobName.SystemPurgeIdempotencyKeys))) {
      if (Date.now() > deadline) throw new Error('the schedule was not restored');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('/metrics reports request latency and queue depths in Prometheus format', async () => {
    await t.http().get('/health/live');
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} \d+/,
    );
    expect(res.text).toMatch(/queue_jobs\{queue="system",state="waiting"\} \d+/);
  });

  it('/health/live is 200 and the docs and contract are served', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    const contract = await t.http().get('/api/openapi.json');
    expect(contract.status).toBe(200);
    expect(contract.body.openapi).toMatch(/^3\./);
    expect(contract.body.paths['/health/ready']).toBeDefined();
    const docs = await t.http().get('/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
  });
});
