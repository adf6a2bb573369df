import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { InjectRedis, RedisKeys } from '../../redis/redis.module.js';
import { readWorkerHeartbeat } from '../../queue/worker-heartbeat.js';

@Injectable()
export class RedisHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async check(key: string) {
    const session = this.indicators.check(key);
    try {
      await this.redis.ping();
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }
}

/** Up while some worker process has reported in within its heartbeat TTL. */
@Injectable()
export class WorkerHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly keys: RedisKeys,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async check(key: string) {
    const session = this.indicators.check(key);
    const beat = await readWorkerHeartbeat(this.redis, this.keys).catch(() => null);
    if (!beat) return session.down({ message: 'no worker has reported in recently' });
    return session.up({ lastWorker: beat.workerId, lastSeenAt: beat.at });
  }
}
