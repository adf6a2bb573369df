import { Module } from '@nestjs/common';
import { TripsModule } from '../trips/trips.module.js';
import { MeetingsService } from './meetings.service.js';
import { ProgrammeController } from './programme.controller.js';
import { ProgrammePersonalData } from './programme.personal-data.js';
import { ProgrammeRepository } from './programme.repository.js';
import { ProgrammeSubscribers } from './programme.subscribers.js';

/** The programme of a trip: meetings at its stations, in station-local time, never double-booked. */
@Module({
  imports: [TripsModule],
  controllers: [ProgrammeController],
  providers: [ProgrammeRepository, MeetingsService, ProgrammePersonalData, ProgrammeSubscribers],
})
export class ProgrammeModule {}
