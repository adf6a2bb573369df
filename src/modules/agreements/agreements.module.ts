import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { AgreementExportController } from './agreement-export.controller.js';
import { AgreementExport } from './agreement-export.js';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsPersonalData } from './agreements.personal-data.js';
import { AgreementsRepository } from './agreements.repository.js';
import { AgreementsService } from './agreements.service.js';
import { AgreementsSubscribers } from './agreements.subscribers.js';
import { FollowUpReminderMessages } from './follow-up-reminder.messages.js';
import { FollowUpsController } from './follow-ups.controller.js';
import { FollowUpsService } from './follow-ups.service.js';

/** MoUs and cooperation agreements with partner organisations, their lifecycle and follow-ups. */
@Module({
  imports: [NotificationsModule],
  controllers: [AgreementExportController, AgreementsController, FollowUpsController],
  providers: [
    AgreementsRepository,
    AgreementsService,
    FollowUpsService,
    AgreementExport,
    AgreementsPersonalData,
    AgreementsSubscribers,
    FollowUpReminderMessages,
  ],
})
export class AgreementsModule {}
