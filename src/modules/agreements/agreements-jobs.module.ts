import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { AgreementsRepository } from './agreements.repository.js';
import { FollowUpReminderMessages } from './follow-up-reminder.messages.js';
import { ExpireAgreementsJob } from './jobs/expire-agreements.job.js';

/** The worker side of agreements: expiry when validity ends, and follow-up reminders. */
@Module({
  imports: [NotificationsModule],
  providers: [ExpireAgreementsJob, AgreementsRepository, FollowUpReminderMessages],
})
export class AgreementsJobsModule {}
