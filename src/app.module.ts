import { Module, type DynamicModule } from '@nestjs/common';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';
import { LoggingModule } from './common/logging.js';
import { PersonalDataModule } from './common/personal-data/personal-data.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { DirectoryModule } from './modules/directory/directory.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { InvitationsModule } from './modules/invitations/invitations.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { ParticipantsModule } from './modules/participants/participants.module.js';
import { TripsModule } from './modules/trips/trips.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RedisModule } from './redis/redis.module.js';

/** The HTTP API. It enqueues jobs but never consumes them (see WorkerModule). */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        PersonalDataModule,
        DatabaseModule,
        RedisModule,
        QueueModule,
        IdempotencyModule,
        AuditModule,
        IdentityModule,
        DirectoryModule,
        TripsModule,
        ParticipantsModule,
        InvitationsModule,
        NotificationsModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
