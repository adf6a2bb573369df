import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { ClusterCounters, InjectRedis, RedisKeys } from '../redis/redis.module.js';
import { JOB_HANDLER, type HandlesJob } from './job-handler.js';
import { JOB_QUEUE, JOB_SCHEDULES, JobName, QueueName } from './jobs.js';
import { BULL_CONNECTION, Queues } from './queues.js';
import { WORKER_HEARTBEAT_KEY, WORKER_ID } from './worker-heartbeat.js';

/** Throws unless every job name has exactly one handler. */
export function assertEveryJobHandled(handled: JobName[]): void {
  const missing = Object.values(JobName).filter((name) => !handled.includes(name));
  const twice = handled.filter((name, index) => handled.indexOf(name) !== index);
  if (missing.length > 0) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
  if (twice.length > 0) throw new Error(`More than one handler for job(s): ${twice.join(', ')}`);
}

/**
 * The consumer side: finds every `@JobHandler`, refuses to start while a job
 * name has none, runs one BullMQ Worker per queue and reports in to Redis so
 * the API's readiness check can see a worker is alive.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  readonly workerId = WORKER_ID;
  private readonly logger = new Logger(WorkerHost.name);
  private readonly handlers = new Map<JobName, HandlesJob<JobName>>();
  private workers: Worker[] = [];
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly keys: RedisKeys,
    private readonly queues: Queues,
    private readonly counters: ClusterCounters,
    @InjectRedis() private readonly redis: Redis,
    @Inject(BULL_CONNECTION) private readonly connection: Redis,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const found = this.discovery.getProviders().flatMap((wrapper) => {
      const name =
        wrapper.metatype && this.reflector.get<JobName | undefined>(JOB_HANDLER, wrapper.metatype);
      return name ? [{ name, handler: wrapper.instance as HandlesJob<JobName> }] : [];
    });
    assertEveryJobHandled(found.map(({ name }) => name));
    for (const { name, handler } of found) this.handlers.set(name, handler);
    this.workers = Object.values(QueueName).map(
      (queue) =>
        new Worker(queue, (job: Job) => this.dispatch(queue, job), {
          connection: this.connection,
          prefix: this.config.REDIS_PREFIX,
          concurrency: this.config.WORKER_CONCURRENCY,
          lockDuration: this.config.WORKER_LOCK_MS,
          stalledInterval: this.config.WORKER_LOCK_MS,
        }),
    );
    for (const worker of this.workers) {
      worker.on('failed', (job, error) => {
        void this.counters.increment('job_failed', worker.name);
        this.logger.warn(
          {
            queue: worker.name,
            jobId: job?.id,
            job: job?.name,
            attempt: job?.attemptsMade,
            err: error,
          },
          'job failed',
        );
      });
      worker.on('error', (error) =>
        this.logger.error({ queue: worker.name, err: error }, 'worker error'),
      );
    }
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
    await this.scheduleRecurringJobs();
    await this.reportIn();
    this.heartbeat = setInterval(() => {
      void this.reportIn();
      void this.restoreLostSchedules();
    }, this.config.WORKER_HEARTBEAT_INTERVAL_MS);
    this.logger.log(
      { workerId: this.workerId, queues: Object.values(QueueName) },
      'worker started',
    );
  }

  /** Runs before queues and connections close (those use onApplicationShutdown): in-flight jobs finish first. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.logger.log({ workerId: this.workerId }, 'worker stopped');
  }

  private async scheduleRecurringJobs(): Promise<void> {
    for (const [name, schedule] of Object.entries(JOB_SCHEDULES) as [
      JobName,
      { everyMs: number },
    ][]) {
      await (
        await this.queues.get(JOB_QUEUE[name])
      ).upsertJobScheduler(name, { every: schedule.everyMs }, { name, data: {} });
    }
  }

  /** Redis lost its data (flush, restart without persistence): the schedules come back. */
  private async restoreLostSchedules(): Promise<void> {
    try {
      for (const name of Object.keys(JOB_SCHEDULES) as JobName[]) {
        if (!(await (await this.queues.get(JOB_QUEUE[name])).getJobScheduler(name))) {
          this.logger.warn({ job: name }, 'job schedule missing from Redis; restoring it');
          await this.scheduleRecurringJobs();
          return;
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'checking job schedules failed');
    }
  }

  private async dispatch(queue: QueueName, job: Job): Promise<unknown> {
    const name = job.name as JobName;
    const handler = this.handlers.get(name);
    if (!handler || JOB_QUEUE[name] !== queue) {
      throw new UnrecoverableError(`No handler for job ${job.name} on queue ${queue}`);
    }
    return handler.handle(job as Job<never, never, JobName>);
  }

  private async reportIn(): Promise<void> {
    const ttl = 3 * this.config.WORKER_HEARTBEAT_INTERVAL_MS;
    await this.redis
      .set(
        this.keys.key(WORKER_HEARTBEAT_KEY),
        JSON.stringify({ workerId: this.workerId, at: new Date().toISOString() }),
        'PX',
        ttl,
      )
      .catch((error: unknown) => this.logger.warn({ err: error }, 'heartbeat failed'));
  }
}
