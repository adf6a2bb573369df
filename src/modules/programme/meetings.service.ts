import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import type { Page } from '../../common/pagination/pagination.js';
import {
  InUse,
  NotFound,
  ValidationFailed,
  type FieldError,
} from '../../common/problem/domain-error.js';
import { isForeignKeyViolation } from '../../database/errors.js';
import { readIn, timeAtPlace } from '../../common/time.js';
import { sentFields } from '../../common/validation.js';
import { auditActor } from '../audit/audit.service.js';
import { Changes, diff } from '../audit/changes.js';
import type { Actor } from '../identity/access/actor.js';
import { TripsRepository } from '../trips/trips.repository.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import { meetingsCalendar } from './calendar.js';
import {
  LocalTimesDto,
  type ItineraryDto,
  type CreateMeetingDto,
  type ListMeetingsQuery,
  type MeetingDto,
  type ProgrammeDto,
  type ProgrammeQuery,
  type UpdateMeetingDto,
} from './dto/meeting.dto.js';
import { Meeting } from './entities/meeting.entity.js';
import {
  MAX_MEETING_HOURS,
  MEETING_TRANSITIONS,
  type MeetingStatus,
} from './programme.constants.js';
import {
  AttendeeDoubleBooked,
  FeedNotFound,
  IllegalMeetingTransition,
  MeetingHeld,
} from './programme.errors.js';
import { PublicTokens } from '../../common/links/public-tokens.js';
import {
  detailsOf,
  ProgrammeRepository,
  type FeedOwner,
  type ItineraryStation,
  type MeetingRow,
  type MeetingDetails,
  type MeetingPlace,
} from './programme.repository.js';
import { MEETING } from './programme.subjects.js';

const WHAT = 'meeting';
/** Participations whose personal feed is gone. */
const FEED_ENDED = ['cancelled', 'rejected'];
const HOUR_MS = 3_600_000;
/** PostgreSQL's exclusion_violation: an attendee booked twice at one time. */
const EXCLUSION_VIOLATION = '23P01';

/** What a write tried, to explain a refused double booking. */
interface Attempt {
  meetingId: string | null;
  attendeeIds: string[];
  startsAt?: Date;
  endsAt?: Date;
}

const isDoubleBooking = (error: unknown) =>
  (error as { code?: string; driverError?: { code?: string } }).code === EXCLUSION_VIOLATION ||
  (error as { driverError?: { code?: string } }).driverError?.code === EXCLUSION_VIOLATION;

/** What a meeting records in its audit diff: its fields, times as instants, lists sorted. */
function recorded(
  meeting: Meeting,
  attendeeIds: string[],
  organisationIds: string[],
  contactIds: string[],
) {
  return {
    title: meeting.title,
    kind: meeting.kind,
    stationId: meeting.stationId,
    startsAt: meeting.startsAt.toISOString(),
    endsAt: meeting.endsAt.toISOString(),
    locationName: meeting.locationName,
    locationAddress: meeting.locationAddress,
    hostUserId: meeting.hostUserId,
    notes: meeting.notes,
    outcome: meeting.outcome,
    visibility: meeting.visibility,
    attendeeIds: [...attendeeIds].sort(),
    organisationIds: [...organisationIds].sort(),
    contactIds: [...contactIds].sort(),
  };
}

/**
 * The programme of a trip (DESIGN §2 Meeting, §3 Time): meetings at its
 * stations, stored as instants and read in the station's timezone; no
 * participant attends two overlapping meetings (the database refuses it).
 */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly meetings: ProgrammeRepository,
    private readonly trips: TripsRepository,
    private readonly changes: Changes,
    private readonly tokens: PublicTokens,
  ) {}

  /** A page of meetings with their details; an unknown trip is 404: one statement. */
  async list(actor: Actor, tripId: string, query: ListMeetingsQuery): Promise<Page<MeetingDto>> {
    const page = await this.meetings.page(actor.tenantId, tripId, query);
    const details = detailsOf(page.items);
    return {
      items: page.items.map((meeting) => this.view(meeting, details)),
      nextCursor: page.nextCursor,
    };
  }

  /** A meeting with its details: one statement. */
  async get(actor: Actor, tripId: string, id: string): Promise<MeetingDto> {
    const meeting = await this.meetings.findInTrip(actor.tenantId, tripId, id);
    if (!meeting) throw new NotFound(WHAT);
    return this.view(meeting, detailsOf([meeting]));
  }

  /** The programme by local day at each station; one statement, an unknown trip 404. */
  async programme(actor: Actor, tripId: string, query: ProgrammeQuery): Promise<ProgrammeDto> {
    const meetings = await this.meetings.programme(actor.tenantId, tripId, query);
    const details = detailsOf(meetings);
    const days = new Map<string, ProgrammeDto['days'][number] & { position: number }>();
    for (const meeting of meetings) {
      const view = this.view(meeting, details);
      const place = details.places.get(meeting.stationId)!;
      const key = `${view.local.date}|${place.id}`;
      const day = days.get(key) ?? {
        date: view.local.date,
        station: { id: place.id, city: place.city, timeZone: place.timezone },
        meetings: [],
        position: place.position,
      };
      day.meetings.push(view);
      days.set(key, day);
    }
    return {
      days: [...days.values()]
        .sort((a, b) => a.date.localeCompare(b.date) || a.position - b.position)
        .map(({ position: _position, ...day }) => day),
    };
  }

  /** The whole programme as an iCalendar file, for staff calendars. */
  async tripCalendar(actor: Actor, tripId: string): Promise<string> {
    const trip = await this.trip(actor, tripId);
    const meetings = await this.meetings.programme(actor.tenantId, tripId, {});
    return this.calendar(trip.title, meetings);
  }

  /** A participant's stations and the meetings on their itinerary, in local time. */
  async itinerary(actor: Actor, tripId: string, participantId: string): Promise<ItineraryDto> {
    const read = await this.meetings.itineraryRead(actor.tenantId, tripId, participantId);
    if (!read) throw new NotFound('participant');
    const details = detailsOf(read.meetings);
    return this.itineraryView(
      tripId,
      participantId,
      read.stations,
      read.meetings.map((meeting) => this.view(meeting, details)),
    );
  }

  private itineraryView(
    tripId: string,
    participantId: string,
    stations: ItineraryStation[],
    meetings: MeetingDto[],
  ): ItineraryDto {
    return {
      tripId,
      participantId,
      stations: stations.map((station) => ({
        id: station.id,
        city: station.city,
        country: station.country,
        timeZone: station.timezone,
        arrivalDate: station.arrivalDate,
        departureDate: station.departureDate,
      })),
      meetings,
    };
  }

  /** A participant's itinerary as an iCalendar file. */
  async itineraryCalendar(actor: Actor, tripId: string, participantId: string): Promise<string> {
    const trip = await this.trip(actor, tripId);
    const read = await this.meetings.itineraryRead(actor.tenantId, tripId, participantId);
    if (!read) throw new NotFound('participant');
    return this.calendar(trip.title, read.meetings);
  }

  /**
   * A participant's personal feed, opened by its signed link: nothing of
   * other participants, and gone once the participation was cancelled or
   * rejected or the person erased (404, as for a link that never existed).
   */
  async publicItineraryCalendar(token: string): Promise<string> {
    const { id, owner } = await this.feedOwner(token);
    const read = await this.meetings.itineraryRead(owner.tenantId, owner.tripId, id);
    if (!read) throw new FeedNotFound();
    return this.calendar(owner.tripTitle, read.meetings);
  }

  /** The same programme for the participant's page: stations and meetings, with the agency. */
  async publicItinerary(token: string): Promise<{
    owner: FeedOwner;
    itinerary: ItineraryDto;
    /** Whom each meeting is with, by name: organisations and people. */
    counterparts: Map<string, string[]>;
  }> {
    const { id, owner } = await this.feedOwner(token);
    const read = await this.meetings.itineraryRead(owner.tenantId, owner.tripId, id);
    if (!read) throw new FeedNotFound();
    const counterparts = await this.meetings.counterpartNames(
      this.dataSource.manager,
      read.meetings.map((meeting) => meeting.id),
    );
    const details = detailsOf(read.meetings);
    return {
      owner,
      itinerary: this.itineraryView(
        owner.tripId,
        id,
        read.stations,
        read.meetings.map((meeting) => this.view(meeting, details)),
      ),
      counterparts,
    };
  }

  /** Whose feed the token opens; the same 404 for every token that opens nothing. */
  private async feedOwner(token: string): Promise<{ id: string; owner: FeedOwner }> {
    const id = this.tokens.idOf(token);
    const owner = id && (await this.meetings.feedOwner(id));
    if (
      !id ||
      !owner ||
      !this.tokens.verify(token, 'itinerary', id, owner.accessNonce) ||
      owner.erased ||
      FEED_ENDED.includes(owner.status)
    ) {
      throw new FeedNotFound();
    }
    return { id, owner };
  }

  private async calendar(name: string, meetings: MeetingRow[]): Promise<string> {
    const names = await this.meetings.counterpartNames(
      this.dataSource.manager,
      meetings.map((meeting) => meeting.id),
    );
    return meetingsCalendar(
      name,
      meetings.map((meeting) => ({
        meeting,
        timeZone: meeting.place.timezone,
        city: meeting.place.city,
        counterparts: names.get(meeting.id) ?? [],
      })),
    );
  }

  async create(actor: Actor, tripId: string, dto: CreateMeetingDto): Promise<MeetingDto> {
    const attendeeIds = dto.attendeeIds ?? [];
    const attempt: Attempt = { meetingId: null, attendeeIds };
    // Outside the transaction: it reads through the pool, and a transaction waiting for a
    // second connection would starve the pool under concurrent bookings.
    await this.trip(actor, tripId);
    const id = await this.refusingDoubleBooking(attempt, () =>
      this.dataSource.transaction(async (manager) => {
        const place = await this.place(manager, actor, tripId, dto.stationId);
        const { startsAt, endsAt } = this.times(dto, null, place);
        Object.assign(attempt, { startsAt, endsAt });
        await this.assertReferences(manager, actor, tripId, dto);
        const meeting = manager.create(Meeting, {
          tenantId: actor.tenantId,
          tripId,
          stationId: place.id,
          title: dto.title,
          kind: dto.kind,
          startsAt,
          endsAt,
          locationName: dto.location?.name ?? null,
          locationAddress: dto.location?.address ?? null,
          hostUserId: dto.hostUserId ?? null,
          notes: dto.notes ?? null,
          visibility: dto.visibility ?? 'attendees',
          outcome: null,
        });
        await manager.save(meeting);
        const { organisationIds = [], contactIds = [] } = dto.counterparts ?? {};
        await this.meetings.replaceAttendees(manager, meeting, attendeeIds);
        await this.meetings.replaceCounterparts(manager, meeting.id, organisationIds, contactIds);
        await this.changes.record(manager, auditActor(actor), {
          tenantId: actor.tenantId,
          subject: MEETING,
          id: meeting.id,
          action: 'meeting.created',
          changes: diff(
            {},
            { ...recorded(meeting, attendeeIds, organisationIds, contactIds), status: 'planned' },
          ),
        });
        return meeting.id;
      }),
    );
    return this.get(actor, tripId, id);
  }

  async update(
    actor: Actor,
    tripId: string,
    id: string,
    dto: UpdateMeetingDto,
    expectedVersion?: number,
  ): Promise<MeetingDto> {
    const sent = sentFields(dto);
    const attempt: Attempt = { meetingId: id, attendeeIds: [] };
    await this.refusingDoubleBooking(attempt, () =>
      this.dataSource.transaction(async (manager) => {
        const meeting = await this.meetings.lockInTrip(manager, actor.tenantId, tripId, id);
        if (!meeting) throw new NotFound(WHAT);
        assertVersion(expectedVersion, meeting.version);
        const details = await this.meetings.details(manager, [meeting]);
        const attendees = details.attendeeIds.get(id) ?? [];
        const organisations = details.organisationIds.get(id) ?? [];
        const contacts = details.contactIds.get(id) ?? [];
        const before = recorded(meeting, attendees, organisations, contacts);

        if (sent.outcome !== undefined && sent.outcome !== null && meeting.status !== 'held') {
          throw new ValidationFailed([
            { field: 'outcome', message: 'can be set once the meeting is held' },
          ]);
        }
        const place = await this.place(manager, actor, tripId, sent.stationId ?? meeting.stationId);
        const { startsAt, endsAt } = this.times(sent, meeting, place);
        Object.assign(attempt, { startsAt, endsAt, attendeeIds: sent.attendeeIds ?? attendees });
        await this.assertReferences(manager, actor, tripId, dto);
        Object.assign(meeting, {
          stationId: place.id,
          startsAt,
          endsAt,
          ...(sent.title !== undefined ? { title: sent.title } : {}),
          ...(sent.kind !== undefined ? { kind: sent.kind } : {}),
          ...(sent.location !== undefined
            ? {
                locationName: sent.location?.name ?? null,
                locationAddress: sent.location?.address ?? null,
              }
            : {}),
          ...(sent.hostUserId !== undefined ? { hostUserId: sent.hostUserId } : {}),
          ...(sent.notes !== undefined ? { notes: sent.notes } : {}),
          ...(sent.outcome !== undefined ? { outcome: sent.outcome } : {}),
          ...(sent.visibility !== undefined ? { visibility: sent.visibility } : {}),
        });
        const after = recorded(
          meeting,
          sent.attendeeIds ?? attendees,
          sent.counterparts?.organisationIds ?? organisations,
          sent.counterparts?.contactIds ?? contacts,
        );
        const changes = diff(before, after);
        if (!changes) return;
        // A new version even when only attendees or counterparts changed (rows of their own).
        meeting.updatedAt = new Date();
        await manager.save(meeting);
        if (sent.attendeeIds)
          await this.meetings.replaceAttendees(manager, meeting, sent.attendeeIds);
        else if (changes.startsAt || changes.endsAt)
          await this.meetings.followMeeting(manager, meeting);
        await this.meetings.replaceCounterparts(
          manager,
          id,
          sent.counterparts?.organisationIds,
          sent.counterparts?.contactIds,
        );
        await this.changes.record(manager, auditActor(actor), {
          tenantId: actor.tenantId,
          subject: MEETING,
          id,
          action: 'meeting.updated',
          changes,
        });
      }),
    );
    return this.get(actor, tripId, id);
  }

  /** Along the lifecycle; cancelling frees its attendees at that time. */
  async transition(
    actor: Actor,
    tripId: string,
    id: string,
    to: MeetingStatus,
    expectedVersion?: number,
  ): Promise<MeetingDto> {
    await this.dataSource.transaction(async (manager) => {
      const meeting = await this.meetings.lockInTrip(manager, actor.tenantId, tripId, id);
      if (!meeting) throw new NotFound(WHAT);
      assertVersion(expectedVersion, meeting.version);
      const allowed = MEETING_TRANSITIONS[meeting.status];
      if (!allowed.includes(to)) throw new IllegalMeetingTransition(meeting.status, to, allowed);
      const from = meeting.status;
      meeting.status = to;
      await manager.save(meeting);
      if (to === 'cancelled') await this.meetings.followMeeting(manager, meeting);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: MEETING,
        id,
        action: 'meeting.status_changed',
        changes: { status: { before: from, after: to } },
      });
    });
    return this.get(actor, tripId, id);
  }

  /** Removes a meeting that was not held (with its attendance and counterparts). */
  async delete(actor: Actor, tripId: string, id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const meeting = await this.meetings.lockInTrip(manager, actor.tenantId, tripId, id);
      if (!meeting) throw new NotFound(WHAT);
      assertVersion(expectedVersion, meeting.version);
      if (meeting.status === 'held') throw new MeetingHeld();
      try {
        await manager.delete(Meeting, { id });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new InUse(WHAT, 'agreements');
        throw error;
      }
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: MEETING,
        id,
        action: 'meeting.deleted',
        changes: { title: { before: meeting.title, after: null } },
      });
    });
  }

  private async trip(actor: Actor, tripId: string): Promise<Trip> {
    const trip = await this.trips.findInTenant(actor.tenantId, tripId);
    if (!trip) throw new NotFound('trip');
    return trip;
  }

  private async place(
    manager: EntityManager,
    actor: Actor,
    tripId: string,
    stationId: string,
  ): Promise<MeetingPlace> {
    const place = await this.meetings.stationOfTrip(manager, actor.tenantId, tripId, stationId);
    if (!place) {
      throw new ValidationFailed([
        { field: 'stationId', message: 'is not a station of this trip' },
      ]);
    }
    return place;
  }

  /**
   * The meeting's instants from what was sent (local times read in the
   * station's timezone) and what it has: it ends after it starts, lasts at
   * most 24 hours, and starts on a local day the delegation is at the station.
   */
  private times(
    sent: { startsAt?: string; endsAt?: string },
    current: Meeting | null,
    place: MeetingPlace,
  ): { startsAt: Date; endsAt: Date } {
    const errors: FieldError[] = [];
    const read = (field: 'startsAt' | 'endsAt', kept: Date | undefined): Date | null => {
      const value = sent[field];
      if (value === undefined) return kept ?? null;
      const resolved = timeAtPlace(value, place.timezone);
      if ('instant' in resolved) return resolved.instant;
      errors.push({
        field,
        message:
          resolved.problem === 'nonexistent'
            ? `${value} does not exist in ${place.timezone}: the clocks skip that time there (a daylight-saving or time-zone change); choose another`
            : `${value} is ambiguous in ${place.timezone}: the clocks show that time twice there (a daylight-saving or time-zone change); send it with its offset`,
      });
      return null;
    };
    const startsAt = read('startsAt', current?.startsAt);
    const endsAt = read('endsAt', current?.endsAt);
    if (startsAt && endsAt) {
      if (endsAt <= startsAt) errors.push({ field: 'endsAt', message: 'must be after startsAt' });
      else if (endsAt.getTime() - startsAt.getTime() > MAX_MEETING_HOURS * HOUR_MS) {
        errors.push({
          field: 'endsAt',
          message: `must be at most ${MAX_MEETING_HOURS} hours after startsAt`,
        });
      }
      const day = readIn(startsAt, place.timezone).date;
      if (day < place.arrivalDate || day > place.departureDate) {
        errors.push({
          field: 'startsAt',
          message: `starts on ${day} in ${place.city}, outside the station's dates (${place.arrivalDate} to ${place.departureDate})`,
        });
      }
    }
    if (errors.length > 0 || !startsAt || !endsAt) throw new ValidationFailed(errors);
    return { startsAt, endsAt };
  }

  /** Attendees of this trip who may attend, counterparts and host of this agency: 400 naming what is not. */
  private async assertReferences(
    manager: EntityManager,
    actor: Actor,
    tripId: string,
    dto: Pick<UpdateMeetingDto, 'attendeeIds' | 'counterparts' | 'hostUserId'>,
  ): Promise<void> {
    const errors: FieldError[] = [];
    const tenantId = actor.tenantId;
    const missing = (wanted: string[] | undefined, found: Set<string>) =>
      (wanted ?? []).some((id) => !found.has(id));
    const attendees = dto.attendeeIds ?? [];
    if (
      missing(
        attendees,
        await this.meetings.eligibleAttendees(manager, tenantId, tripId, attendees),
      )
    ) {
      errors.push({
        field: 'attendeeIds',
        message: 'must all be participants of this trip who are confirmed or have applied',
      });
    }
    const organisations = dto.counterparts?.organisationIds ?? [];
    if (
      missing(
        organisations,
        await this.meetings.existing(manager, 'partner_organisations', tenantId, organisations),
      )
    ) {
      errors.push({
        field: 'counterparts.organisationIds',
        message: 'must all be your partner organisations',
      });
    }
    const contacts = dto.counterparts?.contactIds ?? [];
    if (missing(contacts, await this.meetings.existing(manager, 'contacts', tenantId, contacts))) {
      errors.push({ field: 'counterparts.contactIds', message: 'must all be your contacts' });
    }
    if (dto.hostUserId && !(await this.meetings.isActiveStaff(manager, tenantId, dto.hostUserId))) {
      errors.push({ field: 'hostUserId', message: 'is not an active staff member of your agency' });
    }
    if (errors.length > 0) throw new ValidationFailed(errors);
  }

  /**
   * Runs a write; when the database refuses it because an attendee would be
   * in two meetings at once, answers 409 naming the participant and the
   * meeting they attend then (read after the refused transaction ended).
   */
  private async refusingDoubleBooking<T>(attempt: Attempt, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isDoubleBooking(error) || !attempt.startsAt || !attempt.endsAt) throw error;
      const conflict = await this.meetings.conflict(
        attempt.attendeeIds,
        attempt.startsAt,
        attempt.endsAt,
        attempt.meetingId,
      );
      throw new AttendeeDoubleBooked(
        conflict?.participantId ?? attempt.attendeeIds[0],
        conflict?.meeting ?? null,
      );
    }
  }

  private view(meeting: Meeting, details: MeetingDetails): MeetingDto {
    const place = details.places.get(meeting.stationId)!;
    return {
      id: meeting.id,
      tripId: meeting.tripId,
      stationId: meeting.stationId,
      title: meeting.title,
      kind: meeting.kind,
      status: meeting.status,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      local: LocalTimesDto.of(
        readIn(meeting.startsAt, place.timezone),
        readIn(meeting.endsAt, place.timezone),
      ),
      location: meeting.locationName
        ? { name: meeting.locationName, address: meeting.locationAddress }
        : null,
      counterparts: {
        organisationIds: details.organisationIds.get(meeting.id) ?? [],
        contactIds: details.contactIds.get(meeting.id) ?? [],
      },
      attendeeIds: details.attendeeIds.get(meeting.id) ?? [],
      hostUserId: meeting.hostUserId,
      notes: meeting.notes,
      outcome: meeting.outcome,
      visibility: meeting.visibility,
      allowedTransitions: [...MEETING_TRANSITIONS[meeting.status]],
      createdAt: meeting.createdAt,
      updatedAt: meeting.updatedAt,
      version: meeting.version,
    };
  }
}
