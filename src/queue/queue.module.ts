import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DatabaseNudges } from '../database/database-nudges.js';
import { createRedis } from '../redis/redis.module.js';
import { BULL_CONNECTION, Queues } from './queues.js';

/**
 * Producer side of BullMQ, used by the API, the worker and the CLI alike;
 * and the database's nudges to the worker's relays that fill the queues.
 */
@Global()
@Module({
  providers: [
    { provide: BULL_CONNECTION, inject: [AppConfig], useFactory: createRedis },
    Queues,
    DatabaseNudges,
  ],
  exports: [Queues, BULL_CONNECTION, DatabaseNudges],
})
export class QueueModule {}
