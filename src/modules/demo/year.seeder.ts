import { Injectable } from '@nestjs/common';
import type { Actor } from '../identity/access/actor.js';
import { ParticipantsService } from '../participants/participants.service.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import { TripsService } from '../trips/trips.service.js';
import type { DemoTrip2017 } from './demo-results.js';

/**
 * The people of a past year's trips and events, entered the way staff
 * enter a finished event's list (each person by email: their contact,
 * else a new one), then the trip closed. A trip closed already is left as
 * it is, so a second run adds nothing.
 */
@Injectable()
export class YearSeeder {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly trips: TripsService,
  ) {}

  /** `trips[i]` is `plans[i]`'s trip, under way; returns how many participants it added. */
  async seed(actor: Actor, trips: Trip[], plans: DemoTrip2017[]): Promise<number> {
    let added = 0;
    for (const [index, trip] of trips.entries()) {
      if (trip.status === 'completed' || trip.status === 'cancelled') continue;
      added += await this.participants.enrolMany(
        actor,
        trip.id,
        plans[index].people.map(({ role, category, ...person }) => ({
          person,
          fields: { role, category },
        })),
      );
      await this.trips.transition(actor, trip.id, 'completed');
    }
    return added;
  }
}
