import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { createRedis } from '../redis/redis.module.js';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_QUEUE,
  QueueName,
  type JobName,
  type JobPayloads,
  type JobResults,
} from './jobs.js';

export const BULL_CONNECTION = Symbol('BULL_CONNECTION');

/**
 * The producer side: one BullMQ Queue per queue name, shared by the whole
 * process. BullMQ is loaded on first use: the API process seldom needs it
 * (the worker's relays fill the queues), and loading it costs about 200 ms
 * of start-up and 10 MB (issue 21).
 */
@Injectable()
export class Queues implements OnApplicationShutdown {
  private readonly logger = new Logger(Queues.name);
  private loaded?: Promise<ReadonlyMap<QueueName, Queue>>;

  constructor(
    private readonly config: AppConfig,
    @Inject(BULL_CONNECTION) private readonly connection: Redis,
  ) {}

  private queues(): Promise<ReadonlyMap<QueueName, Queue>> {
    this.loaded ??= import('bullmq').then(
      ({ Queue }) =>
        new Map(
          Object.values(QueueName).map((name) => {
            const queue = new Queue(name, {
              connection: this.connection,
              prefix: this.config.REDIS_PREFIX,
              defaultJobOptions: DEFAULT_JOB_OPTIONS,
            });
            // Without a listener BullMQ prints every reconnect error while Redis is away.
            queue.on('error', (error) =>
              this.logger.warn({ queue: name, err: error }, 'queue error'),
            );
            return [name, queue];
          }),
        ),
    );
    return this.loaded;
  }

  /** Adds a job; a `jobId` makes adding it twice a no-op. */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}) {
    const job = await (await this.get(JOB_QUEUE[name])).add(name, payload, options);
    return job as Job<JobPayloads[N], JobResults[N], N>;
  }

  /** Adds many jobs of one name in one round trip; jobs whose `jobId` exists are left as they are. */
  async enqueueBulk<N extends JobName>(
    name: N,
    jobs: { payload: JobPayloads[N]; options?: JobsOptions }[],
  ): Promise<void> {
    await (
      await this.get(JOB_QUEUE[name])
    ).addBulk(jobs.map(({ payload, options }) => ({ name, data: payload, opts: options })));
  }

  /**
   * `enqueueBulk`, failing when Redis does not answer within `timeoutMs`
   * (a relay's round then rolls back and the next one tries again).
   */
  async enqueueBulkWithin<N extends JobName>(
    name: N,
    jobs: { payload: JobPayloads[N]; options?: JobsOptions }[],
    timeoutMs: number,
  ): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.enqueueBulk(name, jobs),
      new Promise((_, reject) => {
        timeout = setTimeout(
          () => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timeout));
  }

  /** Adds a job and waits for a worker to finish it (operator checks, tests). */
  async enqueueAndWait<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    timeoutMs: number,
  ): Promise<JobResults[N]> {
    const { QueueEvents } = await import('bullmq');
    const connection = createRedis(this.config);
    const events = new QueueEvents(JOB_QUEUE[name], {
      connection,
      prefix: this.config.REDIS_PREFIX,
    });
    try {
      await events.waitUntilReady();
      const job = await this.enqueue(name, payload, { attempts: 1 });
      return await job.waitUntilFinished(events, timeoutMs);
    } finally {
      await events.close();
      connection.disconnect();
    }
  }

  /** Whether Redis is connected now; commands sent while it is not wait in the client. */
  connected(): boolean {
    return this.connection.status === 'ready';
  }

  async get(name: QueueName): Promise<Queue> {
    const queue = (await this.queues()).get(name);
    if (!queue) throw new Error(`Unknown queue ${name}`);
    return queue;
  }

  async all(): Promise<Queue[]> {
    return [...(await this.queues()).values()];
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.loaded) await Promise.all((await this.all()).map((queue) => queue.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
