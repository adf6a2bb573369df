import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { foundation } from './foundation.js';
import { AgreementsModule } from './modules/agreements/agreements.module.js';
import { AnnouncementsModule } from './modules/announcements/announcements.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';
import { DirectoryModule } from './modules/directory/directory.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { InvitationsModule } from './modules/invitations/invitations.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { PagesModule } from './modules/pages/pages.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { ParticipantsModule } from './modules/participants/participants.module.js';
import { ProgrammeModule } from './modules/programme/programme.module.js';
import { TripsModule } from './modules/trips/trips.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';

/** The HTTP API. It enqueues jobs but never consumes them (see WorkerModule). */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...foundation(config),
        IdentityModule,
        DirectoryModule,
        TripsModule,
        ParticipantsModule,
        ProgrammeModule,
        AgreementsModule,
        AnnouncementsModule,
        WebhooksModule,
        InvitationsModule,
        NotificationsModule,
        PagesModule,
        ReportsModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
