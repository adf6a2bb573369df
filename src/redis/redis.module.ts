import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/** BullMQ needs `maxRetriesPerRequest: null`; the other clients are happy with it too. */
const REDIS_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: null,
  connectionName: 'delegation-desk',
};

export function createRedis(config: AppConfig): Redis {
  return new Redis(config.REDIS_URL, REDIS_OPTIONS);
}

/** Builds Redis keys under the installation's prefix (REDIS_PREFIX). */
@Injectable()
export class RedisKeys {
  constructor(private readonly config: AppConfig) {}

  key(...parts: string[]): string {
    return [this.config.REDIS_PREFIX, ...parts].join(':');
  }
}

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** What the workers count for operators (read by the API's `/metrics`). */
export type CounterName = 'mail_sent' | 'mail_failed' | 'mail_retried' | 'job_failed';

const KEY = 'metrics:counters';

/**
 * Totals across every worker of the installation, kept in one Redis hash:
 * the worker has no HTTP to be scraped, and any API instance can report
 * them. A Redis flush starts them from zero, which Prometheus reads as a
 * counter reset. Counting never fails the work it counts.
 */
@Injectable()
export class ClusterCounters {
  private readonly logger = new Logger(ClusterCounters.name);

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async increment(name: CounterName, label = '', by = 1): Promise<void> {
    await this.redis
      .hincrby(this.keys.key(KEY), label ? `${name}:${label}` : name, by)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'counting failed'));
  }

  /** Every counter as `{ name, label, value }` (label `''` when it has none). */
  async read(): Promise<{ name: CounterName; label: string; value: number }[]> {
    const fields = await this.redis.hgetall(this.keys.key(KEY));
    return Object.entries(fields).map(([field, value]) => {
      const [name, label = ''] = field.split(/:(.*)/s) as [CounterName, string?];
      return { name, label, value: Number(value) };
    });
  }
}

/** The shared client for everything except BullMQ, which opens its own connections. */
@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: createRedis },
    RedisKeys,
    RedisCloser,
    ClusterCounters,
  ],
  exports: [REDIS, RedisKeys, ClusterCounters],
})
export class RedisModule {}
