import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Queues } from '../../queue/queues.js';
import { readWorkerHeartbeat } from '../../queue/worker-host.js';
import { ClusterCounters, InjectRedis, RedisKeys } from '../../redis/redis.module.js';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
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

  constructor(
    queues: Queues,
    dataSource: DataSource,
    counters: ClusterCounters,
    keys: RedisKeys,
    @InjectRedis() redis: Redis,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per BullMQ queue and state',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        for (const queue of queues.all()) {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES)
            this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });

    new Gauge({
      name: 'outbox_backlog_messages',
      help: 'Due messages not yet sent, by status (scheduled: not yet queued)',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const rows = await dataSource.query<BacklogRow[]>(OUTBOX_BACKLOG_SQL);
        for (const { status, count } of rows) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'outbox_oldest_due_message_age_seconds',
      help: 'How long the oldest due but unsent message has been due (0 when none)',
      registers,
      async collect() {
        const rows = await dataSource.query<BacklogRow[]>(OUTBOX_BACKLOG_SQL);
        const due = rows.flatMap((row) => (row.oldest_due_at ? [row.oldest_due_at.getTime()] : []));
        this.set(due.length > 0 ? Math.max(0, (Date.now() - Math.min(...due)) / 1000) : 0);
      },
    });

    // Prometheus reads all metrics at once: each one collects its own values.
    new Counter({
      name: 'mail_messages_total',
      help: 'Messages handed to the mail server (sent), failed for good, or put back for a retry, across all workers',
      labelNames: ['outcome'] as const,
      registers,
      async collect() {
        const totals = await counters.read();
        this.reset();
        for (const outcome of ['sent', 'failed', 'retried'] as const)
          this.inc(
            { outcome },
            totals.find((total) => total.name === `mail_${outcome}`)?.value ?? 0,
          );
      },
    });
    new Counter({
      name: 'jobs_failed_total',
      help: 'Failed job attempts across all workers, by queue',
      labelNames: ['queue'] as const,
      registers,
      async collect() {
        const totals = await counters.read();
        this.reset();
        for (const queue of queues.all())
          this.inc(
            { queue: queue.name },
            totals.find((total) => total.name === 'job_failed' && total.label === queue.name)
              ?.value ?? 0,
          );
      },
    });

    new Gauge({
      name: 'worker_up',
      help: '1 when a worker reported in within three heartbeat intervals, else 0',
      registers,
      async collect() {
        this.set((await readWorkerHeartbeat(redis, keys)) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'worker_last_heartbeat_timestamp_seconds',
      help: 'Unix time of the last worker heartbeat; 0 when none within three heartbeat intervals (alert on time() minus this)',
      registers,
      async collect() {
        const beat = await readWorkerHeartbeat(redis, keys);
        this.set(beat ? Date.parse(beat.at) / 1000 : 0);
      },
    });

    new Gauge({
      name: 'db_pool_connections',
      help: "This process's PostgreSQL connections: in_use, idle, and requests waiting for one",
      labelNames: ['state'] as const,
      registers,
      collect() {
        const pool = (dataSource.driver as unknown as { master: Pool }).master;
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /** `route` is the pattern (`/api/v1/trips/:id`), never the raw URL, to keep label cardinality bounded. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
