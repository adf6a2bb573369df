import { Module } from '@nestjs/common';
import { LinksModule } from '../../common/links/links.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TripsModule } from '../trips/trips.module.js';
import { MeetingReminderMessages } from './meeting-reminder.messages.js';
import { ProgrammeRepository } from './programme.repository.js';

/** The worker side of the programme: what its meeting reminders say when they are sent. */
@Module({
  imports: [TripsModule, NotificationsModule, LinksModule],
  providers: [MeetingReminderMessages, ProgrammeRepository],
})
export class ProgrammeJobsModule {}
