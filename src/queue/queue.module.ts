import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { createRedis } from '../redis/redis.module.js';
import { BULL_CONNECTION, Queues } from './queues.js';

/** Producer side of BullMQ, used by the API, the worker and the CLI alike. */
@Global()
@Module({
  providers: [{ provide: BULL_CONNECTION, inject: [AppConfig], useFactory: createRedis }, Queues],
  exports: [Queues, BULL_CONNECTION],
})
export class QueueModule {}
