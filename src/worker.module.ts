import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { AppConfig } from './config/app-config.js';
import { foundation } from './foundation.js';
import { MailModule } from './mail/mail.module.js';
import { AgreementsJobsModule } from './modules/agreements/agreements-jobs.module.js';
import { AnnouncementsJobsModule } from './modules/announcements/announcements-jobs.module.js';
import { IdentityJobsModule } from './modules/identity/jobs/purge-expired-sessions.job.js';
import { NotificationsJobsModule } from './modules/notifications/notifications-jobs.module.js';
import { ParticipantsJobsModule } from './modules/participants/participants-jobs.module.js';
import { InvitationsJobsModule } from './modules/invitations/invitations-jobs.module.js';
import { ProgrammeJobsModule } from './modules/programme/programme-jobs.module.js';
import { SystemJobsModule } from './modules/system/system-jobs.module.js';
import { WebhooksJobsModule } from './modules/webhooks/webhooks-jobs.module.js';
import { WorkerHost } from './queue/worker-host.js';

/** The queue worker: job handlers, schedules and mail; no HTTP. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ...foundation(config),
        DiscoveryModule,
        MailModule,
        SystemJobsModule,
        IdentityJobsModule,
        ParticipantsJobsModule,
        InvitationsJobsModule,
        NotificationsJobsModule,
        AgreementsJobsModule,
        AnnouncementsJobsModule,
        ProgrammeJobsModule,
        WebhooksJobsModule,
      ],
      providers: [WorkerHost],
    };
  }
}
