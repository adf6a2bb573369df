import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TripsModule } from '../trips/trips.module.js';
import { AnnouncementsController } from './announcements.controller.js';
import { AnnouncementsPersonalData } from './announcements.personal-data.js';
import { AnnouncementsRepository } from './announcements.repository.js';
import { AnnouncementsService } from './announcements.service.js';

/** Messages from staff to the delegation of a trip, or part of it. */
@Module({
  imports: [NotificationsModule, TripsModule],
  controllers: [AnnouncementsController],
  providers: [AnnouncementsRepository, AnnouncementsService, AnnouncementsPersonalData],
})
export class AnnouncementsModule {}
