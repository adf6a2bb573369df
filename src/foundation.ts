import type { DynamicModule, Type } from '@nestjs/common';
import { ClockModule } from './common/clock.js';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';
import { LoggingModule } from './common/logging.js';
import { PersonalDataModule } from './common/personal-data/personal-data.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RedisModule } from './redis/redis.module.js';

/**
 * What every process (API, worker, CLI) stands on: configuration, logs,
 * PostgreSQL, Redis and the queues, and the global seams every module
 * writes through (the audit trail and change subscribers, idempotency,
 * the personal-data registry).
 */
export function foundation(config: AppConfig): (Type | DynamicModule)[] {
  return [
    ConfigModule.forRoot(config),
    ClockModule,
    LoggingModule,
    PersonalDataModule,
    DatabaseModule,
    RedisModule,
    QueueModule,
    IdempotencyModule,
    AuditModule,
  ];
}
