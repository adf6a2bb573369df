import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  keysetPageSql,
  type KeysetOptions,
  type Page,
} from '../../common/pagination/pagination.js';
import { inTrip } from '../trips/trip-reads.js';
import { selectColumns } from '../../database/select-columns.js';
import { sqlList } from '../../database/sql.js';
import { LOCALES, type Locale } from '../identity/roles.js';
import type { Station } from '../trips/entities/station.entity.js';
import type { ListMeetingsQuery, ProgrammeQuery } from './dto/meeting.dto.js';
import { MeetingAttendee } from './entities/meeting-attendee.entity.js';
import { MeetingContact, MeetingOrganisation } from './entities/meeting-counterpart.entity.js';
import { Meeting } from './entities/meeting.entity.js';
import { ATTENDING_STATUSES, UNOFFICIAL_MEETING_KINDS } from './programme.constants.js';
import type { ConflictingMeeting } from './programme.errors.js';

/**
 * Whether meeting `alias` is an official appointment: not travel or other,
 * and held, or confirmed while its trip is under way (SQL).
 */
export const officialAppointment = (alias: string) =>
  `${alias}.kind NOT IN (${sqlList(UNOFFICIAL_MEETING_KINDS)})
   AND (${alias}.status = 'held' OR (${alias}.status = 'confirmed' AND EXISTS
        (SELECT 1 FROM trips ot WHERE ot.id = ${alias}.trip_id AND ot.status = 'in_progress')))`;

/** Whose personal feed a link opens, and what their pages show of the agency. */
export interface FeedOwner {
  tenantId: string;
  tripId: string;
  tripTitle: string;
  status: string;
  accessNonce: string;
  erased: boolean;
  /** The language we write to them in. */
  language: Locale;
  agency: {
    name: string;
    timezone: string;
    logoUrl: string | null;
    accentColor: string | null;
    privacyNotice: null;
  };
}

/** A meeting's station as its times are read in. */
export type MeetingPlace = Pick<
  Station,
  'id' | 'city' | 'timezone' | 'arrivalDate' | 'departureDate' | 'position'
>;

/** One participant to be reminded of one meeting, due at `dueAt`. */
export interface MeetingReminder {
  meetingId: string;
  tenantId: string;
  tripId: string;
  startsAt: Date;
  participantId: string;
  contactId: string;
  email: string;
  dueAt: Date;
}

/** A meeting as its reminder tells it, and whether its recipient still attends. */
export interface ReminderFacts {
  meeting: Meeting;
  timeZone: string;
  city: string;
  participantId: string | null;
  accessNonce: string | null;
  stillAttends: boolean;
}

/** A station as an itinerary lists it. */
export type ItineraryStation = MeetingPlace & { country: string };

/** What a meeting's answer says beyond its own row. */
export interface MeetingDetails {
  attendeeIds: Map<string, string[]>;
  organisationIds: Map<string, string[]>;
  contactIds: Map<string, string[]>;
  places: Map<string, MeetingPlace>;
}

/** A meeting as read for its answer: its row, attendees, counterparts and station, in one statement. */
export type MeetingRow = Meeting & {
  attendeeIds: string[];
  organisationIds: string[];
  contactIds: string[];
  place: MeetingPlace;
};

/** What a meeting's answer shows beyond its row, as columns of the meeting row `m` (issue 21). */
const DETAIL_COLUMNS = `
  ARRAY(SELECT a.participant_id FROM meeting_attendees a
         WHERE a.meeting_id = m.id ORDER BY a.participant_id) AS "attendeeIds",
  ARRAY(SELECT o.partner_organisation_id FROM meeting_organisations o
         WHERE o.meeting_id = m.id ORDER BY o.partner_organisation_id) AS "organisationIds",
  ARRAY(SELECT c.contact_id FROM meeting_contacts c
         WHERE c.meeting_id = m.id ORDER BY c.contact_id) AS "contactIds",
  (SELECT json_build_object('id', s.id, 'city', s.city, 'timezone', s.timezone,
                            'arrivalDate', s.arrival_date::text,
                            'departureDate', s.departure_date::text, 'position', s.position)
     FROM stations s WHERE s.id = m.station_id) AS place`;

/** A trip's meetings by start; served by (trip_id, starts_at, id). */
const MEETING_ORDER: Pick<KeysetOptions<MeetingRow>, 'keys' | 'direction'> = {
  keys: [
    { column: 'm.starts_at', property: 'startsAt' },
    { column: 'm.id', property: 'id' },
  ],
  direction: 'ASC',
};

/** Attendees, counterparts and stations of meetings read as `MeetingRow`s. */
export function detailsOf(rows: MeetingRow[]): MeetingDetails {
  return {
    attendeeIds: new Map(rows.map((row) => [row.id, row.attendeeIds])),
    organisationIds: new Map(rows.map((row) => [row.id, row.organisationIds])),
    contactIds: new Map(rows.map((row) => [row.id, row.contactIds])),
    places: new Map(rows.map((row) => [row.stationId, row.place])),
  };
}

const byMeeting = <T extends { meetingId: string }>(rows: T[], pick: (row: T) => string) => {
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(row.meetingId, [...(map.get(row.meetingId) ?? []), pick(row)]);
  return map;
};

/** The local date a meeting starts on at its station, for filters (the station's zone, in SQL). */
const LOCAL_START_DATE = `(m.starts_at AT TIME ZONE (SELECT s.timezone FROM stations s WHERE s.id = m.station_id))::date`;

@Injectable()
export class ProgrammeRepository {
  /** A meeting row with its details, up to its WHERE (`meetings m`). */
  private readonly select: string;

  constructor(private readonly dataSource: DataSource) {
    this.select = `SELECT ${selectColumns(dataSource.getMetadata(Meeting), 'm')}, ${DETAIL_COLUMNS}
      FROM meetings m`;
  }

  /** The station of this trip, key-share locked (it cannot go while the meeting is written). */
  async stationOfTrip(
    manager: EntityManager,
    tenantId: string,
    tripId: string,
    stationId: string,
  ): Promise<MeetingPlace | null> {
    const [row] = await manager.query<MeetingPlace[]>(
      `SELECT id, city, timezone, arrival_date::text AS "arrivalDate",
              departure_date::text AS "departureDate", position
         FROM stations WHERE tenant_id = $1 AND trip_id = $2 AND id = $3 FOR KEY SHARE`,
      [tenantId, tripId, stationId],
    );
    return row ?? null;
  }

  /** Of `ids`, the participants of this trip who may attend (seat holders and applicants). */
  async eligibleAttendees(
    manager: EntityManager,
    tenantId: string,
    tripId: string,
    ids: string[],
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM participants
        WHERE tenant_id = $1 AND trip_id = $2 AND id = ANY($3)
          AND status IN (${sqlList(ATTENDING_STATUSES)})
        FOR KEY SHARE`,
      [tenantId, tripId, ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Of `ids`, the agency's rows in `table`, key-share locked until commit. */
  async existing(
    manager: EntityManager,
    table: 'partner_organisations' | 'contacts',
    tenantId: string,
    ids: string[],
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM ${table} WHERE tenant_id = $1 AND id = ANY($2) FOR KEY SHARE`,
      [tenantId, ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  async isActiveStaff(manager: EntityManager, tenantId: string, userId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2 AND active FOR KEY SHARE`,
      [tenantId, userId],
    );
    return rows.length > 0;
  }

  lockInTrip(manager: EntityManager, tenantId: string, tripId: string, id: string) {
    return manager.findOne(Meeting, {
      where: { tenantId, tripId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** A meeting with its details: one statement. */
  async findInTrip(tenantId: string, tripId: string, id: string): Promise<MeetingRow | null> {
    const [row] = await this.dataSource.query<MeetingRow[]>(
      `${this.select} WHERE m.tenant_id = $1 AND m.trip_id = $2 AND m.id = $3`,
      [tenantId, tripId, id],
    );
    return row ?? null;
  }

  /** Sets who attends (rows carry the meeting's time; the exclusion constraint checks them). */
  async replaceAttendees(manager: EntityManager, meeting: Meeting, ids: string[]): Promise<void> {
    await manager.delete(MeetingAttendee, { meetingId: meeting.id });
    if (ids.length === 0) return;
    await manager.insert(
      MeetingAttendee,
      ids.map((participantId) => ({
        meetingId: meeting.id,
        participantId,
        tenantId: meeting.tenantId,
        startsAt: meeting.startsAt,
        endsAt: meeting.endsAt,
        active: meeting.status !== 'cancelled',
      })),
    );
  }

  /** Moves the attendance rows with their meeting (time, or cancelled: no longer active). */
  async followMeeting(manager: EntityManager, meeting: Meeting): Promise<void> {
    await manager.update(
      MeetingAttendee,
      { meetingId: meeting.id },
      {
        startsAt: meeting.startsAt,
        endsAt: meeting.endsAt,
        active: meeting.status !== 'cancelled',
      },
    );
  }

  async replaceCounterparts(
    manager: EntityManager,
    meetingId: string,
    organisationIds: string[] | undefined,
    contactIds: string[] | undefined,
  ): Promise<void> {
    if (organisationIds) {
      await manager.delete(MeetingOrganisation, { meetingId });
      if (organisationIds.length > 0) {
        await manager.insert(
          MeetingOrganisation,
          organisationIds.map((partnerOrganisationId) => ({ meetingId, partnerOrganisationId })),
        );
      }
    }
    if (contactIds) {
      await manager.delete(MeetingContact, { meetingId });
      if (contactIds.length > 0) {
        await manager.insert(
          MeetingContact,
          contactIds.map((contactId) => ({ meetingId, contactId })),
        );
      }
    }
  }

  /**
   * Attendees, counterparts and stations of several meetings: four queries,
   * however many meetings (no N+1).
   */
  async details(manager: EntityManager, meetings: Meeting[]): Promise<MeetingDetails> {
    const ids = meetings.map((meeting) => meeting.id);
    const stationIds = [...new Set(meetings.map((meeting) => meeting.stationId))];
    if (ids.length === 0) {
      return {
        attendeeIds: new Map(),
        organisationIds: new Map(),
        contactIds: new Map(),
        places: new Map(),
      };
    }
    const [attendees, organisations, contacts, places] = await Promise.all([
      manager.find(MeetingAttendee, {
        select: { meetingId: true, participantId: true },
        where: { meetingId: In(ids) },
        order: { participantId: 'ASC' },
      }),
      manager.find(MeetingOrganisation, {
        where: { meetingId: In(ids) },
        order: { partnerOrganisationId: 'ASC' },
      }),
      manager.find(MeetingContact, { where: { meetingId: In(ids) }, order: { contactId: 'ASC' } }),
      manager.query<MeetingPlace[]>(
        `SELECT id, city, timezone, arrival_date::text AS "arrivalDate",
                departure_date::text AS "departureDate", position
           FROM stations WHERE id = ANY($1)`,
        [stationIds],
      ),
    ]);
    return {
      attendeeIds: byMeeting(attendees, (row) => row.participantId),
      organisationIds: byMeeting(organisations, (row) => row.partnerOrganisationId),
      contactIds: byMeeting(contacts, (row) => row.contactId),
      places: new Map(places.map((place) => [place.id, place])),
    };
  }

  /**
   * A trip's meetings by start, with their details, in one plain SQL
   * statement joined to the trip's row (an unknown trip is 404).
   */
  page(tenantId: string, tripId: string, query: ListMeetingsQuery): Promise<Page<MeetingRow>> {
    const { where, params, add } = this.filtered(tenantId, tripId, query);
    if (query.organisationId) {
      add(
        (p) => `EXISTS (SELECT 1 FROM meeting_organisations o
                         WHERE o.meeting_id = m.id AND o.partner_organisation_id = ${p})`,
        query.organisationId,
      );
    }
    if (query.updatedSince) add((p) => `m.updated_at >= ${p}`, query.updatedSince);
    if (query.official !== undefined) {
      where.push(`${query.official ? '' : 'NOT '}(${officialAppointment('m')})`);
    }
    if (query.cancelled !== undefined) {
      where.push(`m.status ${query.cancelled ? '=' : '<>'} 'cancelled'`);
    }
    return keysetPageSql<MeetingRow>(
      this.meetingsInTrip(),
      { select: this.select, where, params },
      { ...MEETING_ORDER, query },
    );
  }

  /**
   * Every meeting of the trip the programme's filters select, by start,
   * with their details: one statement, joined to the trip's row (an unknown
   * trip is 404).
   */
  programme(tenantId: string, tripId: string, query: ProgrammeQuery): Promise<MeetingRow[]> {
    const { where, params } = this.filtered(tenantId, tripId, query);
    return this.meetingsInTrip()(
      `${this.select} WHERE ${where.join(' AND ')} ORDER BY m.starts_at, m.id`,
      params,
    );
  }

  /** Runs a statement on a trip's meetings joined to the trip ($1 the agency, $2 the trip). */
  private meetingsInTrip() {
    return inTrip<MeetingRow>(
      (sql, params) => this.dataSource.query<MeetingRow[]>(sql, params),
      MEETING_ORDER,
    );
  }

  /** The programme's filters as SQL conditions on `m`, with their `$n` parameters. */
  private filtered(tenantId: string, tripId: string, query: ProgrammeQuery) {
    const params: unknown[] = [tenantId, tripId];
    const where = ['m.tenant_id = $1', 'm.trip_id = $2'];
    const add = (condition: (placeholder: string) => string, value: unknown) =>
      where.push(condition(`$${params.push(value)}`));
    if (query.stationId) add((p) => `m.station_id = ${p}`, query.stationId);
    if (query.kind) add((p) => `m.kind = ${p}`, query.kind);
    if (query.status) add((p) => `m.status = ${p}`, query.status);
    if (query.participantId) {
      add(
        (p) => `EXISTS (SELECT 1 FROM meeting_attendees a
                         WHERE a.meeting_id = m.id AND a.participant_id = ${p})`,
        query.participantId,
      );
    }
    if (query.from) add((p) => `${LOCAL_START_DATE} >= ${p}`, query.from);
    if (query.to) add((p) => `${LOCAL_START_DATE} <= ${p}`, query.to);
    return { where, params, add };
  }

  /**
   * The first active meeting (other than `exceptId`) that one of these
   * participants attends overlapping [startsAt, endsAt): what a refused
   * booking collided with.
   */
  async conflict(
    participantIds: string[],
    startsAt: Date,
    endsAt: Date,
    exceptId: string | null,
  ): Promise<{ participantId: string; meeting: ConflictingMeeting } | null> {
    const [row] = await this.dataSource.query<
      { participantId: string; id: string; title: string; startsAt: Date; endsAt: Date }[]
    >(
      `SELECT a.participant_id AS "participantId", m.id, m.title,
              m.starts_at AS "startsAt", m.ends_at AS "endsAt"
         FROM meeting_attendees a JOIN meetings m ON m.id = a.meeting_id
        WHERE a.participant_id = ANY($1) AND a.active
          AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange($2, $3, '[)')
          AND a.meeting_id IS DISTINCT FROM $4
        ORDER BY m.starts_at, m.id LIMIT 1`,
      [participantIds, startsAt, endsAt, exceptId],
    );
    if (!row) return null;
    const { participantId, ...meeting } = row;
    return { participantId, meeting };
  }

  /**
   * Meetings of a station (not cancelled) whose local start date, in the
   * station's timezone as it is now, falls outside its dates.
   */
  async outsideStation(
    manager: EntityManager,
    stationId: string,
  ): Promise<{ id: string; title: string; date: string }[]> {
    return manager.query(
      `SELECT m.id, m.title, ((m.starts_at AT TIME ZONE s.timezone)::date)::text AS date
         FROM meetings m JOIN stations s ON s.id = m.station_id
        WHERE m.station_id = $1 AND m.status <> 'cancelled'
          AND (m.starts_at AT TIME ZONE s.timezone)::date NOT BETWEEN s.arrival_date AND s.departure_date
        ORDER BY m.starts_at, m.id`,
      [stationId],
    );
  }

  /**
   * The meetings of a station, each with a new version (their local times
   * read in the station's new timezone: what they show, and their calendar
   * SEQUENCE, changed); ordered by start.
   */
  async touchStationMeetings(manager: EntityManager, stationId: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH touched AS (
         UPDATE meetings SET version = version + 1, updated_at = now()
          WHERE station_id = $1
         RETURNING id, starts_at)
       SELECT id FROM touched ORDER BY starts_at, id`,
      [stationId],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Takes a participant off the meetings of their trip that have not
   * started, each meeting with a new version; returns those meetings with
   * who attended them before.
   */
  async leaveFutureMeetings(
    manager: EntityManager,
    participantId: string,
  ): Promise<{ meetingId: string; attendeeIds: string[] }[]> {
    return manager.query(
      `WITH left_meetings AS (
         DELETE FROM meeting_attendees a USING meetings m
          WHERE a.meeting_id = m.id AND a.participant_id = $1 AND m.starts_at > now()
         RETURNING a.meeting_id),
       touched AS (
         UPDATE meetings SET version = version + 1, updated_at = now()
          WHERE id IN (SELECT meeting_id FROM left_meetings))
       SELECT l.meeting_id AS "meetingId",
              array_append(coalesce(array_agg(o.participant_id ORDER BY o.participant_id)
                                    FILTER (WHERE o.participant_id IS NOT NULL), '{}'), $1::uuid)
                AS "attendeeIds"
         FROM left_meetings l
         LEFT JOIN meeting_attendees o ON o.meeting_id = l.meeting_id AND o.participant_id <> $1
        GROUP BY l.meeting_id`,
      [participantId],
    );
  }

  /**
   * Who is to be reminded of which meetings, and when: the attendees (in a
   * status that attends) and, for meetings shown to the delegation, every
   * confirmed participant with an address; meetings not cancelled that
   * start after `now`. Due `meeting_reminder_hours` before the start, or at
   * `now` when that has passed (still useful: the meeting is ahead). Of the
   * meetings `meetingIds`, of a participant's trip, or of every meeting of
   * the agency ahead. One query.
   */
  meetingReminders(
    manager: EntityManager,
    of: { meetingIds: string[] } | { participantId: string } | { tenantId: string },
    now: Date,
  ): Promise<MeetingReminder[]> {
    const [where, parameter] =
      'meetingIds' in of
        ? ['m.id = ANY($1)', of.meetingIds]
        : 'participantId' in of
          ? ['p.id = $1', of.participantId]
          : ['m.tenant_id = $1', of.tenantId];
    return manager.query<MeetingReminder[]>(
      `SELECT m.id AS "meetingId", m.tenant_id AS "tenantId", m.trip_id AS "tripId",
              m.starts_at AS "startsAt", p.id AS "participantId", c.id AS "contactId",
              c.email::text AS email,
              greatest($2::timestamptz, m.starts_at - make_interval(hours => tn.meeting_reminder_hours))
                AS "dueAt"
         FROM meetings m
         JOIN tenants tn ON tn.id = m.tenant_id
         JOIN participants p ON p.trip_id = m.trip_id
         JOIN contacts c ON c.id = p.contact_id
        WHERE ${where} AND m.status <> 'cancelled' AND m.starts_at > $2
          AND c.email IS NOT NULL AND c.erased_at IS NULL
          AND ((p.status IN (${sqlList(ATTENDING_STATUSES)})
                AND EXISTS (SELECT 1 FROM meeting_attendees a
                             WHERE a.meeting_id = m.id AND a.participant_id = p.id))
               OR (m.visibility = 'delegation' AND p.status = 'confirmed'))
        ORDER BY m.starts_at, m.id, p.id`,
      [parameter, now],
    );
  }

  /** A participant's trip and contact: whose meeting reminders to re-plan. */
  async participantOfReminders(
    manager: EntityManager,
    participantId: string,
  ): Promise<{ tripId: string; contactId: string } | null> {
    const [row] = await manager.query<{ tripId: string; contactId: string }[]>(
      `SELECT trip_id AS "tripId", contact_id AS "contactId" FROM participants WHERE id = $1`,
      [participantId],
    );
    return row ?? null;
  }

  /**
   * What a meeting reminder says when it is sent: the meeting at its
   * station, whether the participant is still to be reminded of it, and
   * their feed's nonce. Null when the meeting is gone.
   */
  async reminderFacts(
    manager: EntityManager,
    meetingId: string,
    tripId: string,
    contactId: string,
  ): Promise<ReminderFacts | null> {
    const [row] = await manager.query<(Omit<ReminderFacts, 'meeting'> & { id: string })[]>(
      `SELECT m.id, s.timezone AS "timeZone", s.city,
              p.id AS "participantId", p.access_nonce AS "accessNonce",
              p.id IS NOT NULL AND m.status <> 'cancelled'
                AND ((p.status IN (${sqlList(ATTENDING_STATUSES)})
                      AND EXISTS (SELECT 1 FROM meeting_attendees a
                                   WHERE a.meeting_id = m.id AND a.participant_id = p.id))
                     OR (m.visibility = 'delegation' AND p.status = 'confirmed')) AS "stillAttends"
         FROM meetings m
         JOIN stations s ON s.id = m.station_id
         LEFT JOIN participants p ON p.trip_id = m.trip_id AND p.contact_id = $3
        WHERE m.id = $1 AND m.trip_id = $2`,
      [meetingId, tripId, contactId],
    );
    if (!row) return null;
    const meeting = await manager.findOneByOrFail(Meeting, { id: meetingId });
    return { ...row, meeting };
  }

  /** Names of the organisations and people each meeting is with: two queries. */
  async counterpartNames(
    manager: EntityManager,
    meetingIds: string[],
  ): Promise<Map<string, string[]>> {
    const names = new Map<string, string[]>();
    if (meetingIds.length === 0) return names;
    const rows = await manager.query<{ meeting_id: string; name: string }[]>(
      `SELECT mo.meeting_id, coalesce(o.short_name, o.name) AS name
         FROM meeting_organisations mo JOIN partner_organisations o ON o.id = mo.partner_organisation_id
        WHERE mo.meeting_id = ANY($1)
       UNION ALL
       SELECT mc.meeting_id,
              concat_ws(' ', c.title, c.first_name, c.last_name)
                || CASE WHEN c.position IS NOT NULL THEN ', ' || c.position ELSE '' END
         FROM meeting_contacts mc JOIN contacts c ON c.id = mc.contact_id
        WHERE mc.meeting_id = ANY($1)
        ORDER BY 1, 2`,
      [meetingIds],
    );
    for (const row of rows)
      names.set(row.meeting_id, [...(names.get(row.meeting_id) ?? []), row.name]);
    return names;
  }

  /**
   * A participant's itinerary in one statement (issue 21): the trip's
   * stations in order and, by start with their details, the meetings they
   * attend and those shown to the whole delegation when they travel with it
   * (confirmed or attended); null for no such participant of the agency's
   * trip. Joined to the participant's row, whose status decides the latter.
   */
  async itineraryRead(
    tenantId: string,
    tripId: string,
    participantId: string,
  ): Promise<{ stations: ItineraryStation[]; meetings: MeetingRow[] } | null> {
    const rows = await this.dataSource.query<(MeetingRow & { stations: ItineraryStation[] })[]>(
      `SELECT page.*, st.stations
         FROM participants p
        CROSS JOIN LATERAL (
              SELECT coalesce(json_agg(json_build_object(
                       'id', s.id, 'city', s.city, 'country', s.country, 'timezone', s.timezone,
                       'arrivalDate', s.arrival_date::text,
                       'departureDate', s.departure_date::text, 'position', s.position)
                     ORDER BY s.position, s.id), '[]') AS stations
                FROM stations s WHERE s.trip_id = p.trip_id) st
         LEFT JOIN LATERAL (
              ${this.select}
               WHERE m.tenant_id = p.tenant_id AND m.trip_id = p.trip_id
                 AND (EXISTS (SELECT 1 FROM meeting_attendees a
                               WHERE a.meeting_id = m.id AND a.participant_id = p.id)
                      OR (m.visibility = 'delegation' AND p.status IN ('confirmed', 'attended')))
             ) page ON true
        WHERE p.tenant_id = $1 AND p.trip_id = $2 AND p.id = $3
        ORDER BY page."startsAt", page.id`,
      [tenantId, tripId, participantId],
    );
    const [first] = rows;
    if (!first) return null;
    return {
      stations: first.stations,
      meetings: first.id === null ? [] : rows.map(({ stations: _stations, ...meeting }) => meeting),
    };
  }

  /** Who a personal feed belongs to, with what its token is checked against. */
  async feedOwner(participantId: string): Promise<FeedOwner | null> {
    const [row] = await this.dataSource.query<FeedOwner[]>(
      `SELECT p.tenant_id AS "tenantId", p.trip_id AS "tripId", t.title AS "tripTitle",
              p.status, p.access_nonce AS "accessNonce", c.erased_at IS NOT NULL AS erased,
              CASE WHEN c.preferred_language IN (${sqlList(LOCALES)}) THEN c.preferred_language
                   ELSE tn.default_locale END AS language,
              json_build_object('name', tn.name, 'timezone', tn.timezone, 'logoUrl', tn.logo_url,
                                'accentColor', tn.accent_color, 'privacyNotice', NULL) AS agency
         FROM participants p
         JOIN trips t ON t.id = p.trip_id
         JOIN contacts c ON c.id = p.contact_id
         JOIN tenants tn ON tn.id = p.tenant_id
        WHERE p.id = $1`,
      [participantId],
    );
    return row ?? null;
  }

  /** Meetings that name this organisation or contact as met (what keeps it from being deleted). */
  meetingsNaming(
    manager: EntityManager,
    kind: 'organisation' | 'contact',
    id: string,
  ): Promise<{ id: string; title: string }[]> {
    const [table, column] =
      kind === 'organisation'
        ? ['meeting_organisations', 'partner_organisation_id']
        : ['meeting_contacts', 'contact_id'];
    return manager.query(
      `SELECT m.id, m.title FROM ${table} c JOIN meetings m ON m.id = c.meeting_id
        WHERE c.${column} = $1 ORDER BY m.starts_at, m.id`,
      [id],
    );
  }
}
