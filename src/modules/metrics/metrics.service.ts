import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queue/jobs.js';
import { Queues } from '../../queue/queues.js';
import { readWorkerHeartbeat } from '../../queue/worker-heartbeat.js';
import { ClusterCounters, InjectRedis, RedisKeys } from '../../redis/redis.module.js';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Longest a scrape waits for one source (Redis, PostgreSQL) before leaving its figures as they were. */
const SOURCE_TIMEOUT_MS = 2000;

function timeLimited<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('metrics source timed out')), SOURCE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
const BACKLOG_STATUSES = ['scheduled', 'queued', 'sending'] as const;

/**
 * Due messages not yet sent, per status, and when the oldest of each fell
 * due. One arm per status, so each is read through that status's partial
 * index: a scrape costs the same however many messages were ever sent.
 */
const OUTBOX_BACKLOG_SQL = BACKLOG_STATUSES.map(
  (status) => `SELECT '${status}' AS status, count(*)::int AS count, min(due_at) AS oldest_due_at
     FROM notifications WHERE status = '${status}' AND due_at <= now()`,
).join('\nUNION ALL\n');

interface BacklogRow {
  status: (typeof BACKLOG_STATUSES)[number];
  count: number;
  oldest_due_at: Date | null;
}

/**
 * Prometheus metrics for operators: HTTP latency, queue depths, the outbox
 * backlog, what the workers sent and failed (installation-wide totals kept in
 * Redis; every API instance reports the same value), the last worker
 * heartbeat, this process's database pool, and Node's defaults.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly registers = [this.registry];
  private readonly queueJobs = new Gauge({
    name: 'queue_jobs',
    help: 'Jobs per BullMQ queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: this.registers,
  });
  private readonly outboxBacklog = new Gauge({
    name: 'outbox_backlog_messages',
    help: 'Due messages not yet sent, by status (scheduled: not yet queued)',
    labelNames: ['status'] as const,
    registers: this.registers,
  });
  private readonly oldestDue = new Gauge({
    name: 'outbox_oldest_due_message_age_seconds',
    help: 'How long the oldest due but unsent message has been due (0 when none)',
    registers: this.registers,
  });
  private readonly mails = new Counter({
    name: 'mail_messages_total',
    help: 'Messages handed to the mail server (sent), failed for good, or put back for a retry, across all workers',
    labelNames: ['outcome'] as const,
    registers: this.registers,
  });
  private readonly jobFailures = new Counter({
    name: 'jobs_failed_total',
    help: 'Failed job attempts across all workers, by queue',
    labelNames: ['queue'] as const,
    registers: this.registers,
  });
  private readonly workerUp = new Gauge({
    name: 'worker_up',
    help: '1 when a worker reported in within three heartbeat intervals, else 0 (also 0 while Redis does not answer)',
    registers: this.registers,
  });
  private readonly lastHeartbeat = new Gauge({
    name: 'worker_last_heartbeat_timestamp_seconds',
    help: 'Unix time of the last worker heartbeat; 0 when none within three heartbeat intervals (alert on time() minus this)',
    registers: this.registers,
  });
  private readonly pool = new Gauge({
    name: 'db_pool_connections',
    help: "This process's PostgreSQL connections: in_use, idle, and requests waiting for one",
    labelNames: ['state'] as const,
    registers: this.registers,
  });

  constructor(
    private readonly queues: Queues,
    private readonly dataSource: DataSource,
    private readonly counters: ClusterCounters,
    private readonly keys: RedisKeys,
    @InjectRedis() private readonly redis: Redis,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Reads every figure once (each source with its own time limit, so a
   * Redis or database outage costs its own figures, not the scrape) and
   * renders them in Prometheus text format.
   */
  async scrape(): Promise<string> {
    await Promise.all([
      this.readQueues(),
      this.readOutbox(),
      this.readCounters(),
      this.readHeartbeat(),
    ]);
    this.readPool();
    return this.registry.metrics();
  }

  private async readQueues(): Promise<void> {
    await Promise.all(
      (await this.queues.all()).map(async (queue) => {
        const counts = await timeLimited(queue.getJobCounts(...QUEUE_STATES)).catch(() => null);
        if (!counts) return;
        for (const state of QUEUE_STATES)
          this.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
      }),
    );
  }

  private async readOutbox(): Promise<void> {
    const rows = await timeLimited(this.dataSource.query<BacklogRow[]>(OUTBOX_BACKLOG_SQL)).catch(
      () => null,
    );
    if (!rows) return;
    for (const { status, count } of rows) this.outboxBacklog.set({ status }, count);
    const due = rows.flatMap((row) => (row.oldest_due_at ? [row.oldest_due_at.getTime()] : []));
    this.oldestDue.set(due.length > 0 ? Math.max(0, (Date.now() - Math.min(...due)) / 1000) : 0);
  }

  /** Installation-wide totals; while Redis does not answer they keep their last values. */
  private async readCounters(): Promise<void> {
    const totals = await timeLimited(this.counters.read()).catch(() => null);
    if (!totals) return;
    const total = (name: string, label = '') =>
      totals.find((entry) => entry.name === name && entry.label === label)?.value ?? 0;
    this.mails.reset();
    for (const outcome of ['sent', 'failed', 'retried'] as const)
      this.mails.inc({ outcome }, total(`mail_${outcome}`));
    this.jobFailures.reset();
    for (const queue of Object.values(QueueName))
      this.jobFailures.inc({ queue }, total('job_failed', queue));
  }

  private async readHeartbeat(): Promise<void> {
    const beat = await timeLimited(readWorkerHeartbeat(this.redis, this.keys)).catch(() => null);
    this.workerUp.set(beat ? 1 : 0);
    this.lastHeartbeat.set(beat ? Date.parse(beat.at) / 1000 : 0);
  }

  private readPool(): void {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    this.pool.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
    this.pool.set({ state: 'idle' }, pool.idleCount);
    this.pool.set({ state: 'waiting' }, pool.waitingCount);
  }

  /** `route` is the pattern (`/api/v1/trips/:id`), never the raw URL, to keep label cardinality bounded. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
