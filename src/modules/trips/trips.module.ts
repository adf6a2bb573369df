import { Module } from '@nestjs/common';
import { StationsRepository } from './stations.repository.js';
import { StationsService } from './stations.service.js';
import { TripsController } from './trips.controller.js';
import { TripsRepository } from './trips.repository.js';
import { TripsPersonalData } from './trips.personal-data.js';
import { TripsService } from './trips.service.js';
import { TripReads } from './trip-reads.js';

/** Trips, their lifecycle and their stations. */
@Module({
  controllers: [TripsController],
  providers: [
    TripsRepository,
    TripsService,
    TripReads,
    StationsRepository,
    StationsService,
    TripsPersonalData,
  ],
  exports: [TripsRepository, TripsService, StationsService],
})
export class TripsModule {}
