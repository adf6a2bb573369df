import { Injectable } from '@nestjs/common';
import type { Actor } from '../identity/access/actor.js';
import { ParticipantsService } from '../participants/participants.service.js';
import { ATTENDING_STATUSES } from '../programme/programme.constants.js';
import { MeetingsService } from '../programme/meetings.service.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import { StationsService } from '../trips/stations.service.js';
import { addDays, type DemoMeeting } from './demo-data.js';

const ALL = { limit: 200 } as const;

/**
 * A trip's programme, put on through the services behind the API (audited
 * like real use): each meeting at its city's station, at local times, with
 * its counterparts and the delegation members who may attend; a past
 * trip's meetings then confirmed and held. A meeting already there (by
 * title) is left as it is.
 */
@Injectable()
export class ProgrammeSeeder {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly stations: StationsService,
    private readonly participants: ParticipantsService,
  ) {}

  /** Returns how many meetings it added. */
  async seed(
    actor: Actor,
    trip: Trip,
    programme: DemoMeeting[],
    organisationIds: Map<string, string>,
    contactIds: Map<string, string>,
    { held }: { held: boolean } = { held: false },
  ): Promise<number> {
    const existing = new Set(
      (await this.meetings.list(actor, trip.id, { ...ALL })).items.map((meeting) => meeting.title),
    );
    const stations = (await this.stations.list(actor, trip.id, { ...ALL })).items;
    const attendees = new Map(
      (await this.participants.list(actor, trip.id, { ...ALL })).items
        .filter((participant) => ATTENDING_STATUSES.includes(participant.status))
        .map((participant) => [participant.contactId, participant.id]),
    );
    let added = 0;
    for (const plan of programme) {
      const station = stations.find((candidate) => candidate.city === plan.city);
      if (!station || existing.has(plan.title)) continue;
      const date = addDays(trip.startDate, plan.day);
      const ids = (keys: string[] | undefined, from: Map<string, string>) =>
        (keys ?? []).flatMap((key) => (from.get(key) ? [from.get(key)!] : []));
      const meeting = await this.meetings.create(actor, trip.id, {
        title: plan.title,
        kind: plan.kind,
        stationId: station.id,
        startsAt: `${date}T${plan.from}`,
        endsAt: `${date}T${plan.to}`,
        location: plan.location,
        counterparts: {
          organisationIds: ids(plan.organisations, organisationIds),
          contactIds: ids(plan.contacts, contactIds),
        },
        attendeeIds: ids(
          (plan.attendees ?? []).map((key) => contactIds.get(key) ?? ''),
          attendees,
        ),
        visibility: plan.visibility,
      });
      if (held) {
        for (const to of ['confirmed', 'held'] as const) {
          await this.meetings.transition(actor, trip.id, meeting.id, to);
        }
      }
      added += 1;
    }
    return added;
  }
}
