import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { TripsModule } from '../trips/trips.module.js';
import { ParticipantsController } from './participants.controller.js';
import { ParticipantsRepository } from './participants.repository.js';
import { ParticipantsService } from './participants.service.js';

/** The delegation list: registrations, their lifecycle, capacity and the waitlist. */
@Module({
  imports: [DirectoryModule, TripsModule],
  controllers: [ParticipantsController],
  providers: [ParticipantsRepository, ParticipantsService],
  exports: [ParticipantsService],
})
export class ParticipantsModule {}
