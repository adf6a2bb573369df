import { Module } from '@nestjs/common';
import { TripsModule } from '../trips/trips.module.js';
import { AnnouncementMessages } from './announcement.messages.js';
import { AnnouncementsRepository } from './announcements.repository.js';

/** The worker side of announcements: what their messages say when sent. */
@Module({
  imports: [TripsModule],
  providers: [AnnouncementMessages, AnnouncementsRepository],
})
export class AnnouncementsJobsModule {}
