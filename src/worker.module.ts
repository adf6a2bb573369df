import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { IdempotencyModule } from './common/idempotency/idempotency.module.js';
import { LoggingModule } from './common/logging.js';
import { PersonalDataModule } from './common/personal-data/personal-data.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { MailModule } from './mail/mail.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { IdentityJobsModule } from './modules/identity/jobs/purge-expired-sessions.job.js';
import { NotificationsJobsModule } from './modules/notifications/notifications-jobs.module.js';
import { ParticipantsJobsModule } from './modules/participants/participants-jobs.module.js';
import { InvitationsJobsModule } from './modules/invitations/invitations-jobs.module.js';
import { SystemJobsModule } from './modules/system/system-jobs.module.js';
import { QueueModule } from './queue/queue.module.js';
import { WorkerHost } from './queue/worker-host.js';
import { RedisModule } from './redis/redis.module.js';

/** The queue worker: job handlers, schedules and mail; no HTTP. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        PersonalDataModule,
        DiscoveryModule,
        DatabaseModule,
        RedisModule,
        QueueModule,
        MailModule,
        IdempotencyModule,
        AuditModule,
        SystemJobsModule,
        IdentityJobsModule,
        ParticipantsJobsModule,
        InvitationsJobsModule,
        NotificationsJobsModule,
      ],
      providers: [WorkerHost],
    };
  }
}
