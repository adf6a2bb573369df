import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { Seats } from './seats.js';
import { StationsRepository } from './stations.repository.js';
import { StationsService } from './stations.service.js';
import { TripsController } from './trips.controller.js';
import { TripsRepository } from './trips.repository.js';
import { TripsService } from './trips.service.js';

/** Trips, their lifecycle and their stations. */
@Module({
  imports: [NotificationsModule],
  controllers: [TripsController],
  providers: [TripsRepository, TripsService, StationsRepository, StationsService, Seats],
  exports: [TripsRepository, TripsService, StationsService, Seats],
})
export class TripsModule {}
