import { Module } from '@nestjs/common';
import { LinksModule } from '../../common/links/links.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TripsModule } from '../trips/trips.module.js';
import { MeetingReminderMessages } from './meeting-reminder.messages.js';
import { PublicItinerariesController } from './public-itineraries.controller.js';
import { MeetingsService } from './meetings.service.js';
import { ProgrammeController } from './programme.controller.js';
import { ProgrammePersonalData } from './programme.personal-data.js';
import { ProgrammeRepository } from './programme.repository.js';
import { ProgrammeSubscribers } from './programme.subscribers.js';

/** The programme of a trip: meetings at its stations, in station-local time, never double-booked. */
@Module({
  imports: [TripsModule, IdentityModule, LinksModule, NotificationsModule],
  controllers: [ProgrammeController, PublicItinerariesController],
  providers: [
    ProgrammeRepository,
    MeetingsService,
    ProgrammePersonalData,
    ProgrammeSubscribers,
    MeetingReminderMessages,
  ],
  exports: [MeetingsService],
})
export class ProgrammeModule {}
