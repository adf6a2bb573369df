import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
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

/** The shared client for everything except BullMQ, which opens its own connections. */
@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: createRedis },
    RedisKeys,
    RedisCloser,
  ],
  exports: [REDIS, RedisKeys],
})
export class RedisModule {}
