import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  type Method,
  type Headers,
  type Body,
  type PageBody,
  type FieldErrorBody,
  type AuditEventBody,
  expectProblem,
} from './support/api.js';
import {
  addApiKey,
  addStaff,
  bearer,
  signUpAgency,
  type Agency,
  type Staff,
} from './support/identity.js';
import {
  addStation,
  createContact,
  createMeeting,
  createOrganisation,
  createTrip,
  enrol,
  enrolInTurn,
  MEMBER,
  type MeetingBody,
  type MeetingStatus,
  meetingBody,
  moveMeeting,
  moveTrip,
  type ParticipantBody,
  type StationBody,
  type TripBody,
  tripBody,
} from './support/factories.js';
import {
  CREATE_MEETING_EXAMPLES,
  EXAMPLE_IDS,
  UPDATE_MEETING_EXAMPLES,
} from '../src/modules/programme/programme.examples.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const STATUSES = ['planned', 'confirmed', 'held', 'cancelled'] as const;

/** The meeting lifecycle as issue 15 promises it, written out here rather than imported. */
const NEXT: Record<MeetingStatus, MeetingStatus[]> = {
  planned: ['confirmed', 'cancelled'],
  confirmed: ['held', 'cancelled'],
  held: [],
  cancelled: [],
};
/** The transitions that take a new (planned) meeting to each status. */
const ROUTE: Record<MeetingStatus, MeetingStatus[]> = {
  planned: [],
  confirmed: ['confirmed'],
  held: ['confirmed', 'held'],
  cancelled: ['cancelled'],
};
/** Every (from, to) pair the lifecycle refuses, self-transitions included. */
const ILLEGAL = STATUSES.flatMap((from) =>
  STATUSES.filter((to) => !NEXT[from].includes(to)).map((to) => ({ from, to })),
);

/**
 * A trip over the day Asia/Almaty moved from UTC+6 to UTC+5 (1 March 2024),
 * with a station in Almaty and one in Tashkent (UTC+5 all along).
 */
const TRIP_2024 = tripBody({
  title: 'Delegationsreise Kasachstan und Usbekistan 2024',
  countries: ['KZ', 'UZ'],
  startDate: '2024-02-26',
  endDate: '2024-03-05',
});
const ALMATY = {
  city: 'Almaty',
  country: 'KZ',
  timezone: 'Asia/Almaty',
  arrivalDate: '2024-02-27',
  departureDate: '2024-03-04',
};
const TASHKENT = {
  city: 'Tashkent',
  country: 'UZ',
  timezone: 'Asia/Tashkent',
  arrivalDate: '2024-02-29',
  departureDate: '2024-03-04',
};

/** Trips to Berlin over the 2025 DST changes (30 March: 02:00 → 03:00; 26 October: 03:00 → 02:00). */
const BERLIN_SPRING_TRIP = tripBody({
  title: 'Usbekische Delegation in Berlin (Frühjahr)',
  countries: ['DE'],
  startDate: '2025-03-28',
  endDate: '2025-04-01',
});
const BERLIN_SPRING = {
  city: 'Berlin',
  country: 'DE',
  timezone: 'Europe/Berlin',
  arrivalDate: '2025-03-28',
  departureDate: '2025-04-01',
};
const BERLIN_AUTUMN_TRIP = tripBody({
  title: 'Usbekische Delegation in Berlin (Herbst)',
  countries: ['DE'],
  startDate: '2025-10-24',
  endDate: '2025-10-28',
});
const BERLIN_AUTUMN = { ...BERLIN_SPRING, arrivalDate: '2025-10-24', departureDate: '2025-10-28' };

/** An instant in one spelling (ISO, UTC, milliseconds), whatever spelling it came in. */
const at = (instant: string) => new Date(instant).toISOString();
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const sorted = <T>(items: readonly T[]) => [...items].sort();

/** [label, body, field] rows as [label, field, body], so titles read "with <label> is 400 naming <field>". */
const named = <B, F>(rows: [string, B, F][]) =>
  rows.map(([label, body, field]): [string, F, B] => [label, field, body]);

interface ProgrammeDay {
  date: string;
  station: { id: string; city: string; timeZone: string };
  meetings: MeetingBody[];
}

/**
 * The programme (issue 15, first slice) through HTTP against real
 * PostgreSQL: meetings in station-local time across DST and timezone-law
 * changes, the no-double-booking promise (also under 50 concurrent
 * bookings, and as an exclusion constraint in the database), the meeting
 * lifecycle, filters and paging, the programme grouped by local day with a
 * constant number of SQL statements, roles and scopes, tenant isolation and
 * the audit trail.
 */
describe('programme', () => {
  let t: TestApp;
  let desk: Agency;
  let deskOrganiser: Staff;
  let deskViewer: Staff;
  type KeyScope = 'programme:read' | 'programme:write' | 'trips:read';
  const keyWith = {} as Record<KeyScope, { id: string; key: string }>;
  /** desk's partner organisations and a contact there: the meetings' counterparts. */
  let atameken: string;
  let kazakhInvest: string;
  let minister: string;
  /** Look-alike agency; its trips, meetings, organisations, contacts and staff stay invisible to desk. */
  let rival: Agency;
  let rivalOrganisation: string;
  let rivalContact: string;

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const owner = (agency: Agency = desk): Headers => bearer(agency.owner.accessToken);
  const apiKey = (key: string): Headers => ({ 'X-API-Key': key });
  const meetingsOf = (tripId: string) => `/trips/${tripId}/meetings`;
  const meetingPath = (m: { tripId: string; id: string }) => `/trips/${m.tripId}/meetings/${m.id}`;

  /** A 400 whose `errors` name exactly `fields` (and nothing else). */
  function expectInvalid(response: Response, fields: string | string[]) {
    expectProblem(response, 400, 'validation_failed');
    const errors = response.body.errors as FieldErrorBody[];
    expect(errors.length).toBeGreaterThan(0);
    expect(sorted([...new Set(errors.map((error) => error.field))])).toEqual(
      sorted([fields].flat()),
    );
    for (const error of errors) expect(typeof error.message).toBe('string');
  }

  /** A 400 naming only `field`, with a message that says `why`. */
  function expectInvalidBecause(response: Response, field: string, why: RegExp) {
    expectInvalid(response, field);
    const messages = (response.body.errors as FieldErrorBody[]).map((error) => error.message);
    expect(messages.some((message) => why.test(message))).toBe(true);
  }

  /** A 409 attendee_double_booked naming the participant and the meeting in the way. */
  function expectDoubleBooked(response: Response, participantId: string, other: MeetingBody) {
    expectProblem(response, 409, 'attendee_double_booked');
    expect(response.body.participantId).toBe(participantId);
    const conflicting = response.body.conflictingMeeting as Record<string, string>;
    expect(conflicting).toEqual({
      id: other.id,
      title: other.title,
      startsAt: expect.stringMatching(ISO_UTC),
      endsAt: expect.stringMatching(ISO_UTC),
    });
    expect([at(conflicting.startsAt), at(conflicting.endsAt)]).toEqual([
      at(other.startsAt),
      at(other.endsAt),
    ]);
  }

  async function getMeeting(m: { tripId: string; id: string }, headers: Headers = owner()) {
    const response = await call(headers, 'get', meetingPath(m));
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe(`"${(response.body as MeetingBody).version}"`);
    return { meeting: response.body as MeetingBody, etag: String(response.headers.etag) };
  }

  const post = (tripId: string, body: Body, headers: Headers = owner()) =>
    call(headers, 'post', meetingsOf(tripId), body);
  const patch = (m: { tripId: string; id: string }, body: Body, headers: Headers = owner()) =>
    call(headers, 'patch', meetingPath(m), body);
  const transition = (m: { tripId: string; id: string }, to: string, headers: Headers = owner()) =>
    call(headers, 'post', `${meetingPath(m)}/transitions`, { to });

  async function listPage(tripId: string, query: Record<string, string | number> = {}) {
    const response = await t
      .http()
      .get(`/api/v1${meetingsOf(tripId)}`)
      .query({ limit: 200, ...query })
      .set(owner());
    expect(response.status).toBe(200);
    return response.body as PageBody<MeetingBody>;
  }

  /** Every meeting of the trip matching `query`, following the cursor. */
  async function listAll(tripId: string, query: Record<string, string | number> = {}) {
    const all: MeetingBody[] = [];
    let cursor: string | null = null;
    do {
      const page: PageBody<MeetingBody> = await listPage(tripId, {
        ...query,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  async function programme(tripId: string, query: Record<string, string> = {}) {
    const response = await t
      .http()
      .get(`/api/v1/trips/${tripId}/programme`)
      .query(query)
      .set(owner());
    expect(response.status).toBe(200);
    return (response.body as { days: ProgrammeDay[] }).days;
  }

  /** The programme's days that hold meetings, as [date, city, meeting ids]. */
  async function programmeOutline(tripId: string, query: Record<string, string> = {}) {
    return (await programme(tripId, query))
      .filter((day) => day.meetings.length > 0)
      .map((day) => [day.date, day.station.city, day.meetings.map((meeting) => meeting.id)]);
  }

  async function auditEvents(query: Record<string, string>) {
    const response = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ limit: 200, ...query })
      .set(owner());
    expect(response.status).toBe(200);
    return (response.body as PageBody<AuditEventBody>).items;
  }

  /** A new trip of `agency` with its stations (TRIP_2024 in Almaty and Tashkent unless given). */
  async function plan(
    agency: Agency = desk,
    trip: Body = TRIP_2024,
    stations: Body[] = [ALMATY, TASHKENT],
  ): Promise<{ trip: TripBody; stations: StationBody[] }> {
    const created = await createTrip(t, agency, trip);
    const added: StationBody[] = [];
    for (const station of stations) added.push(await addStation(t, agency, created.id, station));
    return { trip: created, stations: added };
  }

  /** A trip in Almaty (and Tashkent) with one confirmed participant. */
  async function planWithDelegate() {
    const {
      trip,
      stations: [almaty, tashkent],
    } = await plan();
    const delegate = await enrol(t, desk, trip.id);
    expect(delegate.status).toBe('confirmed');
    return { trip, almaty, tashkent, delegate };
  }

  beforeAll(async () => {
    t = await startTestApp();
    [desk, rival] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
    ]);
    const scopes: KeyScope[] = ['programme:read', 'programme:write', 'trips:read'];
    const [organiser, viewer, keys, organisations, rivalIds] = await Promise.all([
      addStaff(t, desk, 'organiser', 'Jonas Becker'),
      addStaff(t, desk, 'viewer', 'Lena Hoffmann'),
      Promise.all(scopes.map((scope) => addApiKey(t, desk, [scope], { name: `Only ${scope}` }))),
      Promise.all([
        createOrganisation(t, desk, {
          name: 'Nationale Unternehmerkammer Kasachstans ATAMEKEN',
          shortName: 'ATAMEKEN',
          kind: 'chamber',
          country: 'KZ',
          city: 'Astana',
        }),
        createOrganisation(t, desk, {
          name: 'Kazakh Invest',
          kind: 'agency',
          country: 'KZ',
          city: 'Astana',
        }),
      ]),
      Promise.all([
        createOrganisation(t, rival, { name: 'Kazakh Invest', kind: 'agency', country: 'KZ' }),
        createContact(t, rival, { firstName: 'Nurlan', lastName: 'Abenov', email: undefined }),
      ]),
    ]);
    [deskOrganiser, deskViewer] = [organiser, viewer];
    scopes.forEach((scope, index) => (keyWith[scope] = keys[index]));
    [atameken, kazakhInvest] = organisations.map((organisation) => organisation.id);
    minister = (
      await createContact(t, desk, {
        firstName: 'Nurlan',
        lastName: 'Abenov',
        position: 'Vizeminister für Handel und Integration',
        partnerOrganisationId: kazakhInvest,
        email: undefined,
      })
    ).id;
    [rivalOrganisation, rivalContact] = rivalIds.map((record) => record.id);
  });

  afterAll(() => t.close());

  describe('creating and reading', () => {
    it('POST creates a planned meeting with the defaults, Location and ETag; GET shows the same', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const response = await post(trip.id, {
        title: 'Gespräch im Akimat Almaty',
        kind: 'government_talk',
        stationId: almaty.id,
        startsAt: '2024-03-01T10:00',
        endsAt: '2024-03-01T11:00',
      });
      expect(response.status).toBe(201);
      const meeting = response.body as MeetingBody;
      expect(meeting).toEqual({
        id: expect.any(String),
        tripId: trip.id,
        stationId: almaty.id,
        title: 'Gespräch im Akimat Almaty',
        kind: 'government_talk',
        status: 'planned',
        startsAt: expect.stringMatching(ISO_UTC),
        endsAt: expect.stringMatching(ISO_UTC),
        local: {
          startsAt: '2024-03-01T10:00:00',
          endsAt: '2024-03-01T11:00:00',
          date: '2024-03-01',
          timeZone: 'Asia/Almaty',
          utcOffset: '+05:00',
        },
        location: null,
        counterparts: { organisationIds: [], contactIds: [] },
        attendeeIds: [],
        hostUserId: null,
        notes: null,
        outcome: null,
        visibility: 'attendees',
        allowedTransitions: expect.any(Array),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
      });
      expect([at(meeting.startsAt), at(meeting.endsAt)]).toEqual([
        '2024-03-01T05:00:00.000Z',
        '2024-03-01T06:00:00.000Z',
      ]);
      expect(sorted(meeting.allowedTransitions)).toEqual(sorted(NEXT.planned));
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers.location).toBe(`/api/v1/trips/${trip.id}/meetings/${meeting.id}`);

      const fetched = await t.http().get(String(response.headers.location)).set(owner());
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(meeting);
      expect(fetched.headers.etag).toBe('"1"');
    });

    it('POST takes every field: location, counterparts, attendees (answered sorted), host, notes, visibility', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const delegates = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER, MEMBER]);
      const attendeeIds = delegates.map((delegate) => delegate.id);
      const body = {
        title: 'Round Table mit der Kammer ATAMEKEN',
        kind: 'seminar',
        stationId: almaty.id,
        startsAt: '2024-02-29T15:00:00',
        endsAt: '2024-02-29T17:30:00',
        location: { name: 'ATAMEKEN Regionalkammer', address: 'ul. Zheltoksan 118, Almaty' },
        counterparts: { organisationIds: [atameken, kazakhInvest], contactIds: [minister] },
        attendeeIds: [...attendeeIds].reverse(),
        hostUserId: deskOrganiser.id,
        notes: 'Dolmetscher: Frau Omarova.',
        visibility: 'delegation',
      };
      const response = await post(trip.id, body);
      expect(response.status).toBe(201);
      const meeting = response.body as MeetingBody;
      expect(meeting).toMatchObject({
        title: body.title,
        kind: 'seminar',
        stationId: almaty.id,
        location: body.location,
        hostUserId: deskOrganiser.id,
        notes: body.notes,
        visibility: 'delegation',
        status: 'planned',
        local: {
          startsAt: '2024-02-29T15:00:00',
          endsAt: '2024-02-29T17:30:00',
          date: '2024-02-29',
          timeZone: 'Asia/Almaty',
          utcOffset: '+06:00',
        },
      });
      expect(meeting.attendeeIds).toEqual(sorted(attendeeIds));
      expect(sorted(meeting.counterparts.organisationIds)).toEqual(
        sorted([atameken, kazakhInvest]),
      );
      expect(meeting.counterparts.contactIds).toEqual([minister]);
      expect((await getMeeting(meeting)).meeting).toEqual(meeting);
    });

    it('a location without an address answers address null', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
        location: { name: 'Hotel Kazakhstan, Konferenzraum 2' },
      });
      expect(meeting.location).toEqual({
        name: 'Hotel Kazakhstan, Konferenzraum 2',
        address: null,
      });
    });

    it("the contract's request examples work as sent, with real ids in place of the example ids", async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const colleague = await enrol(t, desk, trip.id);
      const real: Record<string, string> = {
        [EXAMPLE_IDS.station]: almaty.id,
        [EXAMPLE_IDS.organisation]: atameken,
        [EXAMPLE_IDS.contact]: minister,
        [EXAMPLE_IDS.participant]: delegate.id,
        [EXAMPLE_IDS.otherParticipant]: colleague.id,
      };
      const withRealIds = (value: object): Body =>
        JSON.parse(JSON.stringify(value).replace(/[0-9a-f-]{36}/g, (id) => real[id] ?? id)) as Body;

      const created: MeetingBody[] = [];
      for (const [name, { value }] of Object.entries(CREATE_MEETING_EXAMPLES)) {
        const response = await t
          .http()
          .post(`/api/v1/trips/${trip.id}/meetings`)
          .set(owner())
          .send(withRealIds(value));
        expect({ name, status: response.status }).toEqual({ name, status: 201 });
        created.push(response.body as MeetingBody);
      }
      // Both examples describe the same hour and a half in Almaty (UTC+5 since 1 March 2024).
      for (const meeting of created) {
        expect([meeting.startsAt, meeting.endsAt]).toEqual([
          '2024-03-01T05:00:00.000Z',
          '2024-03-01T06:30:00.000Z',
        ]);
        expect(meeting.local).toMatchObject({
          startsAt: '2024-03-01T10:00:00',
          timeZone: 'Asia/Almaty',
        });
      }

      let meeting = created[0];
      for (const [name, { value }] of Object.entries(UPDATE_MEETING_EXAMPLES)) {
        if (name === 'outcome')
          meeting = await moveMeeting(t, desk, meeting, ['confirmed', 'held']);
        const response = await patch(meeting, withRealIds(value));
        expect({ name, status: response.status }).toEqual({ name, status: 200 });
        meeting = response.body as MeetingBody;
      }
      expect(meeting).toMatchObject({
        local: { startsAt: '2024-03-01T14:00:00', endsAt: '2024-03-01T15:30:00' },
        attendeeIds: [delegate.id, colleague.id].sort(),
        outcome: UPDATE_MEETING_EXAMPLES.outcome.value.outcome,
        status: 'held',
      });
    });

    it('a participant may attend in any status that holds a seat or has applied', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan(desk, { ...TRIP_2024, capacity: 3, approvalRequired: true });
      const [applied, confirmed, attended, noShow] = await enrolInTurn(
        t,
        desk,
        trip.id,
        Array(4).fill(MEMBER),
      );
      for (const p of [confirmed, attended, noShow]) {
        expect((await transitionParticipant(p, 'confirmed')).status).toBe('confirmed');
      }
      await moveTrip(t, desk, trip, [
        'planned',
        'registration_open',
        'registration_closed',
        'in_progress',
      ]);
      await transitionParticipant(attended, 'attended');
      await transitionParticipant(noShow, 'no_show');
      const ids = [applied, confirmed, attended, noShow].map((p) => p.id);
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, { attendeeIds: ids });
      expect(meeting.attendeeIds).toEqual(sorted(ids));
    });

    async function transitionParticipant(p: ParticipantBody, to: string) {
      const response = await call(
        owner(),
        'post',
        `/trips/${p.tripId}/participants/${p.id}/transitions`,
        { to },
      );
      expect(response.status).toBe(200);
      return response.body as ParticipantBody;
    }
  });

  describe('station-local time', () => {
    let trip: TripBody;
    let almaty: StationBody;
    let tashkent: StationBody;
    beforeAll(async () => {
      ({
        trip,
        stations: [almaty, tashkent],
      } = await plan());
    });

    it.each([
      // Asia/Almaty was UTC+6 until 1 March 2024 and is UTC+5 since.
      ['2024-02-29T10:00', '2024-02-29T04:00:00.000Z', '2024-02-29', '+06:00'],
      ['2024-02-29T10:00:00', '2024-02-29T04:00:00.000Z', '2024-02-29', '+06:00'],
      ['2024-03-01T10:00', '2024-03-01T05:00:00.000Z', '2024-03-01', '+05:00'],
      ['2024-03-01T10:00:00', '2024-03-01T05:00:00.000Z', '2024-03-01', '+05:00'],
    ])('10:00 in Almaty given as %s is %s (UTC%s)', async (localTime, instant, date, utcOffset) => {
      const endsAt = localTime.replace('T10:00', 'T11:00');
      const response = await post(trip.id, meetingBody(almaty.id, { startsAt: localTime, endsAt }));
      expect(response.status).toBe(201);
      const meeting = response.body as MeetingBody;
      expect(meeting.startsAt).toMatch(ISO_UTC);
      expect(at(meeting.startsAt)).toBe(instant);
      expect(at(meeting.endsAt)).toBe(new Date(Date.parse(instant) + 3_600_000).toISOString());
      expect(meeting.local).toEqual({
        startsAt: `${date}T10:00:00`,
        endsAt: `${date}T11:00:00`,
        date,
        timeZone: 'Asia/Almaty',
        utcOffset,
      });
      expect((await getMeeting(meeting)).meeting.local).toEqual(meeting.local);
    });

    it.each([
      // The instant as given, read in Almaty.
      ['2024-03-01T10:00:00+05:00', '2024-03-01T05:00:00.000Z', '2024-03-01T10:00:00', '+05:00'],
      ['2024-03-01T10:00:00+01:00', '2024-03-01T09:00:00.000Z', '2024-03-01T14:00:00', '+05:00'],
      ['2024-03-01T05:00:00Z', '2024-03-01T05:00:00.000Z', '2024-03-01T10:00:00', '+05:00'],
      ['2024-02-29T04:00:00Z', '2024-02-29T04:00:00.000Z', '2024-02-29T10:00:00', '+06:00'],
      ['2024-02-29T10:00:00+05:00', '2024-02-29T05:00:00.000Z', '2024-02-29T11:00:00', '+06:00'],
    ])(
      'a start with an offset, %s, is kept as that instant (%s; %s local)',
      async (startsAt, instant, localStart, utcOffset) => {
        const endsAt = new Date(Date.parse(instant) + 30 * 60_000).toISOString();
        const response = await post(trip.id, meetingBody(almaty.id, { startsAt, endsAt }));
        expect(response.status).toBe(201);
        const meeting = response.body as MeetingBody;
        expect([at(meeting.startsAt), at(meeting.endsAt)]).toEqual([instant, endsAt]);
        expect(meeting.local).toMatchObject({
          startsAt: localStart,
          date: localStart.slice(0, 10),
          timeZone: 'Asia/Almaty',
          utcOffset,
        });
      },
    );

    it('a meeting over the Almaty change lasts as long as it really does; its offset is the one at the start', async () => {
      // 22:00 (+06) on 29 February to 01:00 (+05) on 1 March: 16:00Z to 20:00Z, four hours.
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
        title: 'Empfang in der Deutschen Botschaft',
        kind: 'reception',
        startsAt: '2024-02-29T22:00',
        endsAt: '2024-03-01T01:00',
      });
      expect([at(meeting.startsAt), at(meeting.endsAt)]).toEqual([
        '2024-02-29T16:00:00.000Z',
        '2024-02-29T20:00:00.000Z',
      ]);
      expect(meeting.local).toEqual({
        startsAt: '2024-02-29T22:00:00',
        endsAt: '2024-03-01T01:00:00',
        date: '2024-02-29',
        timeZone: 'Asia/Almaty',
        utcOffset: '+06:00',
      });
    });

    it('the same wall-clock time in Tashkent and Almaty on 29 February is an hour apart', async () => {
      const [inAlmaty, inTashkent] = await Promise.all([
        createMeeting(t, desk, trip.id, almaty.id, {
          startsAt: '2024-02-29T12:00',
          endsAt: '2024-02-29T13:00',
        }),
        createMeeting(t, desk, trip.id, tashkent.id, {
          startsAt: '2024-02-29T12:00',
          endsAt: '2024-02-29T13:00',
        }),
      ]);
      expect(at(inAlmaty.startsAt)).toBe('2024-02-29T06:00:00.000Z');
      expect(at(inTashkent.startsAt)).toBe('2024-02-29T07:00:00.000Z');
      expect(inTashkent.local).toEqual({
        startsAt: '2024-02-29T12:00:00',
        endsAt: '2024-02-29T13:00:00',
        date: '2024-02-29',
        timeZone: 'Asia/Tashkent',
        utcOffset: '+05:00',
      });
    });

    it('the hour Almaty repeated (23:00–24:00 on 29 February) is ambiguous without an offset: 400 naming the field', async () => {
      const before = (await listAll(trip.id)).length;
      expectInvalidBecause(
        await post(
          trip.id,
          meetingBody(almaty.id, { startsAt: '2024-02-29T23:30', endsAt: '2024-03-01T01:00' }),
        ),
        'startsAt',
        /ambiguous/,
      );
      // With an offset it names one instant, and is fine.
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
        startsAt: '2024-02-29T23:30:00+05:00',
        endsAt: '2024-03-01T01:00',
      });
      expect(at(meeting.startsAt)).toBe('2024-02-29T18:30:00.000Z');
      expect(meeting.local).toMatchObject({ startsAt: '2024-02-29T23:30:00', utcOffset: '+05:00' });
      expect((await listAll(trip.id)).length).toBe(before + 1);
    });

    describe('Europe/Berlin', () => {
      let spring: { trip: TripBody; berlin: StationBody };
      let autumn: { trip: TripBody; berlin: StationBody };
      beforeAll(async () => {
        const [a, b] = await Promise.all([
          plan(desk, BERLIN_SPRING_TRIP, [BERLIN_SPRING]),
          plan(desk, BERLIN_AUTUMN_TRIP, [BERLIN_AUTUMN]),
        ]);
        spring = { trip: a.trip, berlin: a.stations[0] };
        autumn = { trip: b.trip, berlin: b.stations[0] };
      });

      it.each([
        ['startsAt', { startsAt: '2025-03-30T02:30', endsAt: '2025-03-30T04:00' }],
        ['startsAt', { startsAt: '2025-03-30T02:00:00', endsAt: '2025-03-30T04:00' }],
        ['endsAt', { startsAt: '2025-03-30T01:00', endsAt: '2025-03-30T02:30' }],
      ])(
        'a local time in the spring gap is 400 naming %s: it does not exist (%j)',
        async (field, times) => {
          const response = await post(spring.trip.id, meetingBody(spring.berlin.id, times));
          expectInvalidBecause(response, field, /does not exist/);
          expect(await listAll(spring.trip.id)).toEqual([]);
        },
      );

      it.each([
        ['startsAt', { startsAt: '2025-10-26T02:30', endsAt: '2025-10-26T04:00' }],
        ['startsAt', { startsAt: '2025-10-26T02:00:00', endsAt: '2025-10-26T04:00' }],
        ['endsAt', { startsAt: '2025-10-26T01:00', endsAt: '2025-10-26T02:30' }],
      ])(
        'a local time in the repeated autumn hour is 400 naming %s: it is ambiguous (%j)',
        async (field, times) => {
          const response = await post(autumn.trip.id, meetingBody(autumn.berlin.id, times));
          expectInvalidBecause(response, field, /ambiguous/);
          expect(await listAll(autumn.trip.id)).toEqual([]);
        },
      );

      it('01:30 to 03:30 on 30 March is one hour; on 26 October three hours', async () => {
        const short = await createMeeting(t, desk, spring.trip.id, spring.berlin.id, {
          startsAt: '2025-03-30T01:30',
          endsAt: '2025-03-30T03:30',
        });
        expect([at(short.startsAt), at(short.endsAt)]).toEqual([
          '2025-03-30T00:30:00.000Z',
          '2025-03-30T01:30:00.000Z',
        ]);
        expect(short.local).toEqual({
          startsAt: '2025-03-30T01:30:00',
          endsAt: '2025-03-30T03:30:00',
          date: '2025-03-30',
          timeZone: 'Europe/Berlin',
          utcOffset: '+01:00',
        });
        const long = await createMeeting(t, desk, autumn.trip.id, autumn.berlin.id, {
          startsAt: '2025-10-26T01:30',
          endsAt: '2025-10-26T03:30',
        });
        expect([at(long.startsAt), at(long.endsAt)]).toEqual([
          '2025-10-25T23:30:00.000Z',
          '2025-10-26T02:30:00.000Z',
        ]);
        expect(long.local).toMatchObject({ date: '2025-10-26', utcOffset: '+02:00' });
      });

      it.each([
        ['+02:00', '2025-10-26T00:30:00.000Z'],
        ['+01:00', '2025-10-26T01:30:00.000Z'],
      ])(
        'the repeated 02:30 with offset %s names one instant (%s) and reads back with that offset',
        async (offset, instant) => {
          const meeting = await createMeeting(t, desk, autumn.trip.id, autumn.berlin.id, {
            startsAt: `2025-10-26T02:30:00${offset}`,
            endsAt: '2025-10-26T05:00',
          });
          expect(at(meeting.startsAt)).toBe(instant);
          expect(meeting.local).toMatchObject({
            startsAt: '2025-10-26T02:30:00',
            date: '2025-10-26',
            timeZone: 'Europe/Berlin',
            utcOffset: offset,
          });
        },
      );

      it('PATCH into the gap is 400 naming the field and changes nothing', async () => {
        const meeting = await createMeeting(t, desk, spring.trip.id, spring.berlin.id, {
          startsAt: '2025-03-29T10:00',
          endsAt: '2025-03-29T11:00',
        });
        expectInvalidBecause(
          await patch(meeting, { startsAt: '2025-03-30T02:15', endsAt: '2025-03-30T04:00' }),
          'startsAt',
          /does not exist/,
        );
        expectInvalidBecause(
          await patch(meeting, { startsAt: '2025-03-29T23:00', endsAt: '2025-03-30T02:59' }),
          'endsAt',
          /does not exist/,
        );
        const { meeting: after, etag } = await getMeeting(meeting);
        expect(after).toEqual(meeting);
        expect(etag).toBe('"1"');
      });
    });
  });

  describe('validation', () => {
    let trip: TripBody;
    let almaty: StationBody;
    let delegate: ParticipantBody;
    beforeAll(async () => {
      ({ trip, almaty, delegate } = await planWithDelegate());
    });

    /** Relative to the Almaty station (27 February to 4 March 2024, UTC+6 until 1 March). */
    const INVALID: [string, Body, string | string[]][] = [
      ['no title', { title: undefined }, 'title'],
      ['a blank title', { title: '   ' }, 'title'],
      ['a title of 201 characters', { title: 'x'.repeat(201) }, 'title'],
      ['no kind', { kind: undefined }, 'kind'],
      ['an unknown kind', { kind: 'lunch' }, 'kind'],
      ['no stationId', { stationId: undefined }, 'stationId'],
      ['a stationId that is no uuid', { stationId: 'almaty' }, 'stationId'],
      ['an unknown stationId', { stationId: randomUUID() }, 'stationId'],
      ['no startsAt', { startsAt: undefined }, 'startsAt'],
      ['a startsAt that is no time', { startsAt: 'morgen um zehn' }, 'startsAt'],
      ['a startsAt on 30 February', { startsAt: '2024-02-30T10:00' }, 'startsAt'],
      ['a startsAt without a time', { startsAt: '2024-03-01' }, 'startsAt'],
      ['no endsAt', { endsAt: undefined }, 'endsAt'],
      ['an endsAt that is no time', { endsAt: '11 Uhr' }, 'endsAt'],
      ['an endsAt before startsAt', { endsAt: '2024-03-01T09:59' }, 'endsAt'],
      ['an endsAt equal to startsAt', { endsAt: '2024-03-01T10:00' }, 'endsAt'],
      [
        'an endsAt equal to startsAt, spelt as an instant',
        { endsAt: '2024-03-01T05:00:00Z' },
        'endsAt',
      ],
      ['a meeting of 24 hours and a minute', { endsAt: '2024-03-02T10:01' }, 'endsAt'],
      [
        'a start on the day before the station (local date)',
        { startsAt: '2024-02-26T23:59', endsAt: '2024-02-27T01:00' },
        'startsAt',
      ],
      [
        'a start on the day before the station, as an instant (23:59 local)',
        { startsAt: '2024-02-26T17:59:00Z', endsAt: '2024-02-26T19:00:00Z' },
        'startsAt',
      ],
      [
        'a start on the day after the station leaves',
        { startsAt: '2024-03-05T00:00', endsAt: '2024-03-05T01:00' },
        'startsAt',
      ],
      [
        'a start after the station leaves, as an instant (00:00 local on 5 March)',
        { startsAt: '2024-03-04T19:00:00Z', endsAt: '2024-03-04T20:00:00Z' },
        'startsAt',
      ],
      ['an unknown visibility', { visibility: 'public' }, 'visibility'],
      ['a location without a name', { location: { address: 'Dostyk 85' } }, 'location.name'],
      [
        'a counterpart organisation that is no uuid',
        { counterparts: { organisationIds: ['ATAMEKEN'] } },
        'counterparts.organisationIds',
      ],
      [
        'an unknown counterpart organisation',
        { counterparts: { organisationIds: [randomUUID()] } },
        'counterparts.organisationIds',
      ],
      [
        'an unknown counterpart contact',
        { counterparts: { contactIds: [randomUUID()] } },
        'counterparts.contactIds',
      ],
      ['an attendee that is no uuid', { attendeeIds: ['Weber'] }, 'attendeeIds'],
      ['an unknown attendee', { attendeeIds: [randomUUID()] }, 'attendeeIds'],
      ['an unknown host', { hostUserId: randomUUID() }, 'hostUserId'],
      ['a status (read-only)', { status: 'confirmed' }, 'status'],
      ['an outcome (only for held meetings)', { outcome: 'MoU vereinbart' }, 'outcome'],
      ['a tripId', { tripId: randomUUID() }, 'tripId'],
      ['an unknown field', { budget: 1200 }, 'budget'],
    ];

    it.each(named(INVALID))(
      'POST with %s is 400 naming %s and creates nothing',
      async (_, field, change) => {
        const response = await post(
          trip.id,
          meetingBody(almaty.id, {
            startsAt: '2024-03-01T10:00',
            endsAt: '2024-03-01T11:00',
            ...change,
          }),
        );
        expectInvalid(response, field);
        expect(await listAll(trip.id)).toEqual([]);
      },
    );

    it("another agency's organisation, contact or staff member is refused like an unknown one", async () => {
      const cases: [Body, string][] = [
        [
          { counterparts: { organisationIds: [atameken, rivalOrganisation] } },
          'counterparts.organisationIds',
        ],
        [{ counterparts: { contactIds: [rivalContact] } }, 'counterparts.contactIds'],
        [{ hostUserId: rival.owner.id }, 'hostUserId'],
      ];
      for (const [change, field] of cases) {
        expectInvalid(await post(trip.id, meetingBody(almaty.id, change)), field);
      }
      expect(await listAll(trip.id)).toEqual([]);
    });

    it('a deactivated staff member cannot host', async () => {
      const former = await addStaff(t, desk, 'organiser', 'Uwe Krause');
      expect((await call(owner(), 'post', `/users/${former.id}/deactivate`)).status).toBe(200);
      expectInvalid(
        await post(trip.id, meetingBody(almaty.id, { hostUserId: former.id })),
        'hostUserId',
      );
      expect(await listAll(trip.id)).toEqual([]);
    });

    it('a station of another of the agency’s trips, or of another agency, is refused', async () => {
      const [{ stations: other }, { stations: theirs }] = await Promise.all([plan(), plan(rival)]);
      expectInvalid(await post(trip.id, meetingBody(other[0].id)), 'stationId');
      expectInvalid(await post(trip.id, meetingBody(theirs[0].id)), 'stationId');
      expect(await listAll(trip.id)).toEqual([]);
    });

    it('waitlisted, rejected and cancelled participants, and those of another trip, cannot attend', async () => {
      const {
        trip: full,
        stations: [fullAlmaty],
      } = await plan(desk, { ...TRIP_2024, capacity: 1, approvalRequired: true });
      const [seated, waitlisted, rejected, cancelled] = await enrolInTurn(
        t,
        desk,
        full.id,
        Array(4).fill(MEMBER),
      );
      const move = async (p: ParticipantBody, to: string, expected: string) => {
        const response = await call(
          owner(),
          'post',
          `/trips/${full.id}/participants/${p.id}/transitions`,
          { to },
        );
        expect(response.status).toBe(200);
        expect(response.body.status).toBe(expected);
      };
      await move(seated, 'confirmed', 'confirmed');
      await move(waitlisted, 'confirmed', 'waitlisted');
      await move(rejected, 'rejected', 'rejected');
      await move(cancelled, 'cancelled', 'cancelled');
      for (const p of [waitlisted, rejected, cancelled, delegate]) {
        expectInvalid(
          await post(full.id, meetingBody(fullAlmaty.id, { attendeeIds: [seated.id, p.id] })),
          'attendeeIds',
        );
      }
      expect(await listAll(full.id)).toEqual([]);
    });

    it.each([
      ['a title of 200 characters', { title: 'x'.repeat(200) }],
      ['exactly 24 hours', { startsAt: '2024-03-01T10:00', endsAt: '2024-03-02T10:00' }],
      [
        'a start at 00:00 on the arrival day',
        { startsAt: '2024-02-27T00:00', endsAt: '2024-02-27T01:00' },
      ],
      [
        'a start at 00:00 local on the arrival day, as an instant',
        { startsAt: '2024-02-26T18:00:00Z', endsAt: '2024-02-26T19:00:00Z' },
      ],
      [
        'a start at 23:59 on the departure day, ending the next day',
        { startsAt: '2024-03-04T23:59', endsAt: '2024-03-05T01:00' },
      ],
    ])('%s is accepted', async (_, change) => {
      const response = await post(trip.id, meetingBody(almaty.id, change));
      expect(response.status).toBe(201);
      expect(
        await call(owner(), 'delete', meetingPath(response.body as MeetingBody)),
      ).toMatchObject({
        status: 204,
      });
    });
  });

  describe('no double booking', () => {
    it('adjacent meetings do not overlap: 10:00–11:00, 11:00–12:00 and 09:00–10:00 are all accepted', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const attendeeIds = [delegate.id];
      for (const [startsAt, endsAt] of [
        ['2024-03-01T10:00', '2024-03-01T11:00'],
        ['2024-03-01T11:00', '2024-03-01T12:00'],
        ['2024-03-01T09:00', '2024-03-01T10:00'],
      ]) {
        const response = await post(
          trip.id,
          meetingBody(almaty.id, { startsAt, endsAt, attendeeIds }),
        );
        expect(response.status).toBe(201);
      }
      expect(await listAll(trip.id, { participantId: delegate.id })).toHaveLength(3);
    });

    it('an overlapping meeting is 409 attendee_double_booked naming the participant and the meeting; nothing is created', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const free = await enrol(t, desk, trip.id);
      const first = await createMeeting(t, desk, trip.id, almaty.id, {
        title: 'Besuch bei KazMunayGas',
        kind: 'company_visit',
        startsAt: '2024-03-01T10:00',
        endsAt: '2024-03-01T11:00',
        attendeeIds: [delegate.id],
      });
      for (const [startsAt, endsAt] of [
        ['2024-03-01T10:59', '2024-03-01T12:00'],
        ['2024-03-01T09:00', '2024-03-01T10:01'],
        ['2024-03-01T10:15', '2024-03-01T10:45'],
        ['2024-03-01T08:00', '2024-03-01T13:00'],
        ['2024-03-01T10:00', '2024-03-01T11:00'],
      ]) {
        const response = await post(
          trip.id,
          meetingBody(almaty.id, { startsAt, endsAt, attendeeIds: [free.id, delegate.id] }),
        );
        expectDoubleBooked(response, delegate.id, first);
      }
      expect((await listAll(trip.id)).map((meeting) => meeting.id)).toEqual([first.id]);
      // Someone else at the same time is fine.
      const response = await post(
        trip.id,
        meetingBody(almaty.id, {
          startsAt: '2024-03-01T10:15',
          endsAt: '2024-03-01T10:45',
          attendeeIds: [free.id],
        }),
      );
      expect(response.status).toBe(201);
    });

    it('overlap is decided by instants, not wall clocks: Almaty (UTC+6) and Tashkent (UTC+5) on 29 February', async () => {
      const { trip, almaty, tashkent, delegate } = await planWithDelegate();
      const attendeeIds = [delegate.id];
      // 10:00–11:00 in Almaty is 04:00Z–05:00Z.
      const inAlmaty = await createMeeting(t, desk, trip.id, almaty.id, {
        startsAt: '2024-02-29T10:00',
        endsAt: '2024-02-29T11:00',
        attendeeIds,
      });
      // 10:00–11:00 in Tashkent is 05:00Z–06:00Z: right after, though the clocks read the same.
      const response = await post(
        trip.id,
        meetingBody(tashkent.id, {
          startsAt: '2024-02-29T10:00',
          endsAt: '2024-02-29T11:00',
          attendeeIds,
        }),
      );
      expect(response.status).toBe(201);
      // 09:30–10:30 in Tashkent is 04:30Z–05:30Z: it overlaps both.
      const clash = await post(
        trip.id,
        meetingBody(tashkent.id, {
          startsAt: '2024-02-29T09:30',
          endsAt: '2024-02-29T10:30',
          attendeeIds,
        }),
      );
      expectProblem(clash, 409, 'attendee_double_booked');
      expect(clash.body.participantId).toBe(delegate.id);
      expect([inAlmaty.id, (response.body as MeetingBody).id]).toContain(
        clash.body.conflictingMeeting.id,
      );
    });

    it('50 concurrent bookings of one participant into 50 overlapping meetings: exactly one succeeds, 49 × 409 naming it', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const bodies = Array.from({ length: 50 }, (_, i) => {
        const minute = String(i).padStart(2, '0');
        return meetingBody(almaty.id, {
          title: `B2B-Termin ${i + 1}`,
          startsAt: `2024-03-01T10:${minute}`,
          endsAt: `2024-03-01T11:${minute}`,
          attendeeIds: [delegate.id],
        });
      });
      const responses = await Promise.all(bodies.map((body) => post(trip.id, body)));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
      const winner = responses.find((response) => response.status === 201)?.body as MeetingBody;
      expect(winner.attendeeIds).toEqual([delegate.id]);
      for (const response of responses.filter((r) => r.status === 409)) {
        expectDoubleBooked(response, delegate.id, winner);
      }
      expect((await listAll(trip.id)).map((meeting) => meeting.id)).toEqual([winner.id]);
      expect((await listAll(trip.id, { participantId: delegate.id })).map((m) => m.id)).toEqual([
        winner.id,
      ]);
    });

    it('cancelling frees the slot: a new overlapping meeting is then accepted; a cancelled meeting never conflicts', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const attendeeIds = [delegate.id];
      const first = await createMeeting(t, desk, trip.id, almaty.id, { attendeeIds });
      const second = meetingBody(almaty.id, {
        startsAt: '2024-03-01T10:30',
        endsAt: '2024-03-01T11:30',
        attendeeIds,
      });
      expectDoubleBooked(await post(trip.id, second), delegate.id, first);

      const cancelled = await transition(first, 'cancelled');
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', allowedTransitions: [] });

      const accepted = await post(trip.id, second);
      expect(accepted.status).toBe(201);
      // A third one over the cancelled meeting's slot only conflicts with the new one.
      expectDoubleBooked(
        await post(trip.id, meetingBody(almaty.id, { attendeeIds })),
        delegate.id,
        accepted.body as MeetingBody,
      );
      const adjacent = await post(
        trip.id,
        meetingBody(almaty.id, {
          startsAt: '2024-03-01T09:30',
          endsAt: '2024-03-01T10:30',
          attendeeIds,
        }),
      );
      expect(adjacent.status).toBe(201);
    });

    it('deleting a planned meeting frees the slot too', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const attendeeIds = [delegate.id];
      const first = await createMeeting(t, desk, trip.id, almaty.id, { attendeeIds });
      expectDoubleBooked(
        await post(trip.id, meetingBody(almaty.id, { attendeeIds })),
        delegate.id,
        first,
      );
      expect((await call(owner(), 'delete', meetingPath(first))).status).toBe(204);
      expect((await post(trip.id, meetingBody(almaty.id, { attendeeIds }))).status).toBe(201);
    });

    it('PATCH moving a meeting onto another of the attendee’s meetings is 409 and changes nothing', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const attendeeIds = [delegate.id];
      const morning = await createMeeting(t, desk, trip.id, almaty.id, {
        title: 'Gespräch im Ministerium für Handel und Integration',
        kind: 'government_talk',
        startsAt: '2024-03-01T10:00',
        endsAt: '2024-03-01T11:00',
        attendeeIds,
      });
      const noon = await createMeeting(t, desk, trip.id, almaty.id, {
        startsAt: '2024-03-01T12:00',
        endsAt: '2024-03-01T13:00',
        attendeeIds,
      });
      expectDoubleBooked(
        await patch(noon, { startsAt: '2024-03-01T10:30', endsAt: '2024-03-01T11:30' }),
        delegate.id,
        morning,
      );
      expectDoubleBooked(await patch(noon, { startsAt: '2024-03-01T10:45' }), delegate.id, morning);
      expectDoubleBooked(
        await patch(noon, { endsAt: '2024-03-02T09:00', startsAt: '2024-03-01T09:00' }),
        delegate.id,
        morning,
      );
      const { meeting: after, etag } = await getMeeting(noon);
      expect(after).toEqual(noon);
      expect(etag).toBe('"1"');

      // Moving it right after the morning meeting is fine.
      const moved = await patch(noon, { startsAt: '2024-03-01T11:00', endsAt: '2024-03-01T12:00' });
      expect(moved.status).toBe(200);
      expect(at((moved.body as MeetingBody).startsAt)).toBe('2024-03-01T06:00:00.000Z');
    });

    it('PATCH adding an attendee who is busy then is 409 and changes nothing', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const other = await enrol(t, desk, trip.id);
      const busy = await createMeeting(t, desk, trip.id, almaty.id, { attendeeIds: [delegate.id] });
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
        startsAt: '2024-03-01T10:30',
        endsAt: '2024-03-01T11:30',
        attendeeIds: [other.id],
      });
      expectDoubleBooked(
        await patch(meeting, { attendeeIds: [other.id, delegate.id] }),
        delegate.id,
        busy,
      );
      expect((await getMeeting(meeting)).meeting).toEqual(meeting);
    });

    it('moving a meeting to another station re-checks its attendees by instant', async () => {
      const { trip, almaty, tashkent, delegate } = await planWithDelegate();
      const attendeeIds = [delegate.id];
      const inTashkent = await createMeeting(t, desk, trip.id, tashkent.id, {
        startsAt: '2024-02-29T11:00',
        endsAt: '2024-02-29T12:00',
        attendeeIds,
      });
      // 10:00–11:00 in Almaty on 29 February is 04:00Z–05:00Z; in Tashkent it would be 05:00Z–06:00Z.
      const inAlmaty = await createMeeting(t, desk, trip.id, almaty.id, {
        startsAt: '2024-02-29T10:00',
        endsAt: '2024-02-29T11:00',
        attendeeIds,
      });
      const moved = await patch(inAlmaty, {
        stationId: tashkent.id,
        startsAt: '2024-02-29T10:30',
        endsAt: '2024-02-29T11:30',
      });
      expectDoubleBooked(moved, delegate.id, inTashkent);
      expect((await getMeeting(inAlmaty)).meeting).toEqual(inAlmaty);
    });
  });

  describe('the exclusion constraint in the database', () => {
    /** The SQLSTATE and constraint of a failed statement, or null if it succeeded. */
    async function failure(statement: Promise<unknown>) {
      try {
        await statement;
        return null;
      } catch (error) {
        const failed = error as {
          code?: string;
          constraint?: string;
          driverError?: { code?: string; constraint?: string };
        };
        return {
          code: failed.driverError?.code ?? failed.code,
          constraint: failed.driverError?.constraint ?? failed.constraint,
        };
      }
    }

    it('is in the schema: EXCL_meeting_attendees_no_overlap, gist over participant and [) range, where active', async () => {
      const rows = await t.dataSource.query<{ definition: string }[]>(
        `SELECT pg_get_constraintdef(c.oid) AS definition
           FROM pg_constraint c
          WHERE c.conname = 'EXCL_meeting_attendees_no_overlap'
            AND c.contype = 'x'
            AND c.conrelid = 'meeting_attendees'::regclass`,
      );
      expect(rows).toHaveLength(1);
      const [{ definition }] = rows;
      expect(definition).toMatch(/^EXCLUDE USING gist/);
      expect(definition).toContain('participant_id WITH =');
      expect(definition).toMatch(/tstzrange\(starts_at, ends_at, '\[\)'(::text)?\) WITH &&/);
      expect(definition).toMatch(/WHERE \(active\)/);
    });

    it('two overlapping active attendance rows for one participant fail with 23P01; inactive or adjacent ones do not', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      // 10:00–11:00 in Almaty on 1 March: 05:00Z–06:00Z.
      await createMeeting(t, desk, trip.id, almaty.id, { attendeeIds: [delegate.id] });
      const [second, third, fourth] = await Promise.all(
        ['2024-03-02', '2024-03-03', '2024-03-04'].map((day) =>
          createMeeting(t, desk, trip.id, almaty.id, {
            startsAt: `${day}T10:00`,
            endsAt: `${day}T11:00`,
          }),
        ),
      );
      const insert = (meetingId: string, startsAt: string, endsAt: string, active: boolean) =>
        t.dataSource.query(
          `INSERT INTO meeting_attendees (tenant_id, meeting_id, participant_id, starts_at, ends_at, active)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [desk.tenantId, meetingId, delegate.id, startsAt, endsAt, active],
        );

      expect(
        await failure(insert(second.id, '2024-03-01T05:30:00Z', '2024-03-01T06:30:00Z', true)),
      ).toEqual({ code: '23P01', constraint: 'EXCL_meeting_attendees_no_overlap' });
      expect(
        await failure(insert(second.id, '2024-03-01T05:30:00Z', '2024-03-01T06:30:00Z', false)),
      ).toBeNull();
      expect(
        await failure(insert(third.id, '2024-03-01T06:00:00Z', '2024-03-01T07:00:00Z', true)),
      ).toBeNull();
      expect(
        await failure(insert(fourth.id, '2024-03-01T06:59:59Z', '2024-03-01T08:00:00Z', true)),
      ).toEqual({ code: '23P01', constraint: 'EXCL_meeting_attendees_no_overlap' });
    });
  });

  describe('lifecycle', () => {
    it('walks planned → confirmed → held; each step answers as GET then does, with a new ETag', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const meeting = await createMeeting(t, desk, trip.id, almaty.id);
      let version = meeting.version;
      for (const to of ['confirmed', 'held'] as const) {
        const response = await transition(meeting, to);
        expect(response.status).toBe(200);
        version += 1;
        const body = response.body as MeetingBody;
        expect({ ...body, allowedTransitions: sorted(body.allowedTransitions) }).toEqual({
          ...meeting,
          status: to,
          allowedTransitions: sorted(NEXT[to]),
          version,
          updatedAt: expect.any(String),
        });
        expect(response.headers.etag).toBe(`"${version}"`);
        expect((await getMeeting(meeting)).meeting).toEqual(body);
      }
    });

    it.each(['planned', 'confirmed'] as const)('a %s meeting can be cancelled', async (status) => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const meeting = await moveMeeting(
        t,
        desk,
        await createMeeting(t, desk, trip.id, almaty.id),
        ROUTE[status],
      );
      const response = await transition(meeting, 'cancelled');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'cancelled', allowedTransitions: [] });
    });

    describe('illegal transitions', () => {
      const inStatus = {} as Record<MeetingStatus, MeetingBody>;
      beforeAll(async () => {
        const {
          trip,
          stations: [almaty],
        } = await plan();
        for (const status of STATUSES) {
          inStatus[status] = await moveMeeting(
            t,
            desk,
            await createMeeting(t, desk, trip.id, almaty.id, { title: `Termin (${status})` }),
            ROUTE[status],
          );
        }
      });

      it.each(ILLEGAL)(
        '$from → $to is 409 illegal_transition naming what is allowed; nothing changes',
        async ({ from, to }) => {
          const before = await getMeeting(inStatus[from]);
          expect(before.meeting.status).toBe(from);
          const response = await transition(inStatus[from], to);
          expectProblem(response, 409, 'illegal_transition');
          expect(sorted(response.body.allowedTransitions as string[])).toEqual(sorted(NEXT[from]));
          const after = await getMeeting(inStatus[from]);
          expect(after.meeting).toEqual(before.meeting);
          expect(after.etag).toBe(before.etag);
        },
      );

      it.each(
        named<Body, string>([
          ['an unknown status', { to: 'postponed' }, 'to'],
          ['no status', {}, 'to'],
          ['an unknown field', { to: 'confirmed', reason: 'Termin bestätigt' }, 'reason'],
        ]),
      )('a transition with %s is 400 naming %s', async (_, field, body) => {
        expectInvalid(
          await call(owner(), 'post', `${meetingPath(inStatus.planned)}/transitions`, body),
          field,
        );
        expect((await getMeeting(inStatus.planned)).meeting).toEqual(inStatus.planned);
      });
    });
  });

  describe('changing and deleting', () => {
    it.each([
      ['attendeeIds', 'the attendees'],
      ['counterparts', 'the counterparts'],
    ])(
      'a PATCH of only %s is a change: new version and ETag, so If-None-Match and a stale If-Match see it',
      async (field) => {
        const { trip, almaty, delegate } = await planWithDelegate();
        const meeting = await createMeeting(t, desk, trip.id, almaty.id);
        const body =
          field === 'attendeeIds'
            ? { attendeeIds: [delegate.id] }
            : { counterparts: { organisationIds: [atameken] } };
        const patched = await patch(meeting, body);
        expect(patched.status).toBe(200);
        expect((patched.body as MeetingBody).version).toBe(meeting.version + 1);
        const revalidated = await call(owner(), 'get', meetingPath(meeting)).set(
          'If-None-Match',
          `"${meeting.version}"`,
        );
        expect(revalidated.status).toBe(200);
        const stale = await call(owner(), 'patch', meetingPath(meeting), { notes: 'alt' }).set(
          'If-Match',
          `"${meeting.version}"`,
        );
        expectProblem(stale, 412, 'precondition_failed');
      },
    );

    it('PATCH changes only what is sent; attendeeIds and counterparts replace the lists', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const [second, third] = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER]);
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
        title: 'Gespräch mit Kazakh Invest',
        attendeeIds: [delegate.id, second.id],
        counterparts: { organisationIds: [kazakhInvest], contactIds: [minister] },
        location: { name: 'Kazakh Invest, Almaty Office' },
      });
      const response = await patch(meeting, {
        title: 'Gespräch mit Kazakh Invest und ATAMEKEN',
        attendeeIds: [third.id, second.id],
        counterparts: { organisationIds: [atameken], contactIds: [] },
        notes: 'Unterlagen auf Russisch mitbringen.',
        startsAt: '2024-03-02T09:00',
        endsAt: '2024-03-02T10:30',
      });
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      const changed = response.body as MeetingBody;
      expect(changed).toEqual({
        ...meeting,
        title: 'Gespräch mit Kazakh Invest und ATAMEKEN',
        attendeeIds: sorted([third.id, second.id]),
        counterparts: { organisationIds: [atameken], contactIds: [] },
        notes: 'Unterlagen auf Russisch mitbringen.',
        startsAt: expect.stringMatching(ISO_UTC),
        endsAt: expect.stringMatching(ISO_UTC),
        local: {
          startsAt: '2024-03-02T09:00:00',
          endsAt: '2024-03-02T10:30:00',
          date: '2024-03-02',
          timeZone: 'Asia/Almaty',
          utcOffset: '+05:00',
        },
        updatedAt: expect.any(String),
        version: 2,
      });
      expect([at(changed.startsAt), at(changed.endsAt)]).toEqual([
        '2024-03-02T04:00:00.000Z',
        '2024-03-02T05:30:00.000Z',
      ]);
      expect((await getMeeting(meeting)).meeting).toEqual(changed);

      // The delegate left the meeting: their time is free again.
      expect(
        (
          await post(
            trip.id,
            meetingBody(almaty.id, {
              startsAt: '2024-03-02T09:00',
              endsAt: '2024-03-02T10:00',
              attendeeIds: [delegate.id],
            }),
          )
        ).status,
      ).toBe(201);
    });

    it.each(
      named<Body, string>([
        ['an endsAt before the start', { endsAt: '2024-03-01T09:00' }, 'endsAt'],
        ['a startsAt after the end', { startsAt: '2024-03-01T11:30' }, 'endsAt'],
        [
          'a start outside the station',
          { startsAt: '2024-02-26T10:00', endsAt: '2024-02-26T11:00' },
          'startsAt',
        ],
        ['more than 24 hours', { endsAt: '2024-03-02T10:30' }, 'endsAt'],
        ['a null title', { title: null }, 'title'],
        ['an unknown kind', { kind: 'lunch' }, 'kind'],
        ['an unknown station', { stationId: randomUUID() }, 'stationId'],
        ['an unknown attendee', { attendeeIds: [randomUUID()] }, 'attendeeIds'],
        ['an unknown host', { hostUserId: randomUUID() }, 'hostUserId'],
        ['a status', { status: 'held' }, 'status'],
        ['a version', { version: 9 }, 'version'],
      ]),
    )('PATCH with %s is 400 naming %s and changes nothing', async (_, field, body) => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const meeting = await createMeeting(t, desk, trip.id, almaty.id);
      expectInvalid(await patch(meeting, body), field);
      const { meeting: after, etag } = await getMeeting(meeting);
      expect(after).toEqual(meeting);
      expect(etag).toBe('"1"');
    });

    it('If-Match: the current version is taken, a stale one is 412 and changes nothing', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const meeting = await createMeeting(t, desk, trip.id, almaty.id);
      const first = await patch(meeting, { title: 'Erste Fassung' }).set('If-Match', '"1"');
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      expectProblem(
        await patch(meeting, { title: 'Zweite Fassung' }).set('If-Match', '"1"'),
        412,
        'precondition_failed',
      );
      const { meeting: after, etag } = await getMeeting(meeting);
      expect(etag).toBe('"2"');
      expect(after.title).toBe('Erste Fassung');
      // Without If-Match the last write wins.
      expect((await patch(meeting, { title: 'Dritte Fassung' })).status).toBe(200);
    });

    it('outcome may be set only once the meeting is held (400 naming outcome before, and after cancelling)', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, { kind: 'government_talk' });
      const outcome = { outcome: 'Absichtserklärung zur Berufsbildung vereinbart.' };
      expectInvalid(await patch(meeting, outcome), 'outcome');
      await moveMeeting(t, desk, meeting, ['confirmed']);
      expectInvalid(await patch(meeting, outcome), 'outcome');
      expect((await getMeeting(meeting)).meeting).toMatchObject({ outcome: null, version: 2 });

      await moveMeeting(t, desk, meeting, ['held']);
      const response = await patch(meeting, outcome);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ ...outcome, status: 'held', version: 4 });
      expect((await getMeeting(meeting)).meeting.outcome).toBe(outcome.outcome);

      const cancelled = await moveMeeting(
        t,
        desk,
        await createMeeting(t, desk, trip.id, almaty.id),
        ['cancelled'],
      );
      expectInvalid(await patch(cancelled, outcome), 'outcome');
    });

    it('DELETE removes a planned or cancelled meeting (204, then 404); a held one is 409 meeting_held and stays', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const [planned, cancelled, held] = await Promise.all([
        createMeeting(t, desk, trip.id, almaty.id, { title: 'Geplant' }),
        createMeeting(t, desk, trip.id, almaty.id, { title: 'Abgesagt' }).then((m) =>
          moveMeeting(t, desk, m, ['cancelled']),
        ),
        createMeeting(t, desk, trip.id, almaty.id, { title: 'Stattgefunden' }).then((m) =>
          moveMeeting(t, desk, m, ['confirmed', 'held']),
        ),
      ]);
      for (const meeting of [planned, cancelled]) {
        const deleted = await call(owner(), 'delete', meetingPath(meeting));
        expect(deleted.status).toBe(204);
        expect(deleted.text).toBe('');
        expectProblem(await call(owner(), 'get', meetingPath(meeting)), 404, 'not_found');
        expectProblem(await call(owner(), 'delete', meetingPath(meeting)), 404, 'not_found');
      }
      expectProblem(await call(owner(), 'delete', meetingPath(held)), 409, 'meeting_held');
      expect((await getMeeting(held)).meeting).toEqual(held);
      expect((await listAll(trip.id)).map((meeting) => meeting.id)).toEqual([held.id]);
    });
  });

  describe('listing', () => {
    let trip: TripBody;
    let almaty: StationBody;
    let tashkent: StationBody;
    let first: ParticipantBody;
    let second: ParticipantBody;
    const m = {} as Record<'m1' | 'm2' | 'm3' | 'm4' | 'm5', MeetingBody>;
    const nameOf = (id: string) =>
      (Object.keys(m) as (keyof typeof m)[]).find((name) => m[name].id === id) ?? id;

    beforeAll(async () => {
      ({
        trip,
        stations: [almaty, tashkent],
      } = await plan());
      [first, second] = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER]);
      // In start order: m1 03:00Z on 28 Feb, m2 04:00Z and m3 19:30Z on 29 Feb (m3 is 1 March in Tashkent), m4, m5.
      m.m1 = await createMeeting(t, desk, trip.id, almaty.id, {
        title: 'B2B mit ATAMEKEN-Mitgliedern',
        kind: 'b2b',
        startsAt: '2024-02-28T09:00',
        endsAt: '2024-02-28T10:00',
        attendeeIds: [first.id],
        counterparts: { organisationIds: [atameken] },
      });
      m.m2 = await moveMeeting(
        t,
        desk,
        await createMeeting(t, desk, trip.id, almaty.id, {
          title: 'Gespräch im Akimat',
          kind: 'government_talk',
          startsAt: '2024-02-29T10:00',
          endsAt: '2024-02-29T11:00',
          attendeeIds: [first.id, second.id],
        }),
        ['confirmed'],
      );
      m.m3 = await createMeeting(t, desk, trip.id, tashkent.id, {
        title: 'Werksbesichtigung UzAuto',
        kind: 'company_visit',
        startsAt: '2024-03-01T00:30',
        endsAt: '2024-03-01T01:30',
        attendeeIds: [second.id],
        counterparts: { organisationIds: [kazakhInvest] },
      });
      m.m4 = await moveMeeting(
        t,
        desk,
        await createMeeting(t, desk, trip.id, almaty.id, {
          title: 'Empfang des Generalkonsulats',
          kind: 'reception',
          startsAt: '2024-03-01T19:00',
          endsAt: '2024-03-01T21:00',
        }),
        ['confirmed', 'held'],
      );
      m.m5 = await moveMeeting(
        t,
        desk,
        await createMeeting(t, desk, trip.id, tashkent.id, {
          title: 'B2B mit usbekischen Textilherstellern',
          kind: 'b2b',
          startsAt: '2024-03-02T10:00',
          endsAt: '2024-03-02T11:00',
          counterparts: { organisationIds: [atameken], contactIds: [minister] },
        }),
        ['cancelled'],
      );
    });

    it('lists by start, each meeting as GET shows it', async () => {
      const page = await listPage(trip.id);
      expect(page.nextCursor).toBeNull();
      expect(page.items.map((item) => nameOf(item.id))).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      for (const item of page.items) expect(item).toEqual((await getMeeting(item)).meeting);
    });

    const FILTERS: [string, () => Record<string, string>, string[]][] = [
      ['stationId=Almaty', () => ({ stationId: almaty.id }), ['m1', 'm2', 'm4']],
      ['stationId=Tashkent', () => ({ stationId: tashkent.id }), ['m3', 'm5']],
      ['kind=b2b', () => ({ kind: 'b2b' }), ['m1', 'm5']],
      ['kind=seminar', () => ({ kind: 'seminar' }), []],
      ['status=planned', () => ({ status: 'planned' }), ['m1', 'm3']],
      ['status=confirmed', () => ({ status: 'confirmed' }), ['m2']],
      ['status=held', () => ({ status: 'held' }), ['m4']],
      ['status=cancelled', () => ({ status: 'cancelled' }), ['m5']],
      ['participantId=first', () => ({ participantId: first.id }), ['m1', 'm2']],
      ['participantId=second', () => ({ participantId: second.id }), ['m2', 'm3']],
      ['organisationId=ATAMEKEN', () => ({ organisationId: atameken }), ['m1', 'm5']],
      ['organisationId=Kazakh Invest', () => ({ organisationId: kazakhInvest }), ['m3']],
      // m3 starts on 1 March in Tashkent (00:30 local), which is still 29 February in UTC.
      ['from=2024-03-01', () => ({ from: '2024-03-01' }), ['m3', 'm4', 'm5']],
      ['to=2024-02-29', () => ({ to: '2024-02-29' }), ['m1', 'm2']],
      ['from=to=2024-03-01', () => ({ from: '2024-03-01', to: '2024-03-01' }), ['m3', 'm4']],
      [
        'from=2024-02-29&to=2024-03-01',
        () => ({ from: '2024-02-29', to: '2024-03-01' }),
        ['m2', 'm3', 'm4'],
      ],
      ['from=2024-03-03', () => ({ from: '2024-03-03' }), []],
      [
        'stationId=Almaty&participantId=second',
        () => ({ stationId: almaty.id, participantId: second.id }),
        ['m2'],
      ],
      ['kind=b2b&status=planned', () => ({ kind: 'b2b', status: 'planned' }), ['m1']],
    ];

    it.each(FILTERS)('%s lists %j', async (_, query, expected) => {
      const page = await listPage(trip.id, query());
      expect(page.items.map((item) => nameOf(item.id))).toEqual(expected);
      expect(page.nextCursor).toBeNull();
    });

    it('pages by start with limit 2, each meeting exactly once', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page: PageBody<MeetingBody> = await listPage(trip.id, {
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items.map((item) => nameOf(item.id)));
        sizes.push(page.items.length);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      expect(sizes).toEqual([2, 2, 1]);
    });

    it('meetings starting at the same instant are paged by id', async () => {
      const {
        trip: own,
        stations: [ownAlmaty, ownTashkent],
      } = await plan();
      // 10:00 in Almaty and 10:00 in Tashkent on 1 March are the same instant (05:00Z).
      const created = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          createMeeting(t, desk, own.id, i % 2 ? ownAlmaty.id : ownTashkent.id, {
            title: `Parallel ${i}`,
          }),
        ),
      );
      const earlier = await createMeeting(t, desk, own.id, ownAlmaty.id, {
        startsAt: '2024-03-01T09:59',
        endsAt: '2024-03-01T10:30',
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: PageBody<MeetingBody> = await listPage(own.id, {
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([earlier.id, ...sorted(created.map((meeting) => meeting.id))]);
    });

    it('updatedSince lists the meetings changed at or after that instant; a transition is a change', async () => {
      const everything = await listPage(trip.id);
      const earliest = sorted(everything.items.map((item) => item.updatedAt))[0];
      expect((await listPage(trip.id, { updatedSince: earliest })).items).toHaveLength(5);

      const changed = await patch(m.m3, { notes: 'Bus ab Hotel um 23:45.' });
      expect(changed.status).toBe(200);
      const since = (changed.body as MeetingBody).updatedAt;
      expect(
        (await listPage(trip.id, { updatedSince: since })).items.map((i) => nameOf(i.id)),
      ).toEqual(['m3']);
      const later = new Date(Date.parse(since) + 1).toISOString();
      expect((await listPage(trip.id, { updatedSince: later })).items).toEqual([]);

      const confirmed = await transition(m.m1, 'confirmed');
      expect(confirmed.status).toBe(200);
      const afterTransition = await listPage(trip.id, {
        updatedSince: (confirmed.body as MeetingBody).updatedAt,
      });
      expect(afterTransition.items.map((item) => nameOf(item.id))).toEqual(['m1']);
    });

    it.each([
      ['kind=lunch', 'kind'],
      ['status=postponed', 'status'],
      ['stationId=almaty', 'stationId'],
      ['participantId=weber', 'participantId'],
      ['organisationId=atameken', 'organisationId'],
      ['from=2024-02-30', 'from'],
      ['to=morgen', 'to'],
      ['updatedSince=gestern', 'updatedSince'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=nonsense', 'cursor'],
      ['colour=red', 'colour'],
    ])('GET .../meetings?%s is 400 naming %s', async (query, field) => {
      expectInvalid(await call(owner(), 'get', `${meetingsOf(trip.id)}?${query}`), field);
    });

    it("a cursor from the trip's station listing is refused", async () => {
      const stations = await call(owner(), 'get', `/trips/${trip.id}/stations?limit=1`);
      expect(stations.body.nextCursor).toEqual(expect.any(String));
      expectInvalid(
        await call(owner(), 'get', `${meetingsOf(trip.id)}?cursor=${stations.body.nextCursor}`),
        'cursor',
      );
    });
  });

  describe('the programme view', () => {
    let trip: TripBody;
    let astana: StationBody;
    let tashkent: StationBody;
    let delegate: ParticipantBody;
    const a = {} as Record<'a1' | 'a2' | 'a3' | 'a4' | 'a5' | 'a6', MeetingBody>;

    beforeAll(async () => {
      ({
        trip,
        stations: [astana, tashkent],
      } = await plan(desk, TRIP_2024, [
        { ...ALMATY, city: 'Astana', arrivalDate: '2024-02-27', departureDate: '2024-02-29' },
        { ...TASHKENT, arrivalDate: '2024-02-29', departureDate: '2024-03-04' },
      ]));
      delegate = await enrol(t, desk, trip.id);
      a.a1 = await moveMeeting(
        t,
        desk,
        await createMeeting(t, desk, trip.id, astana.id, {
          title: 'Gespräch im Ministerium für Handel und Integration',
          kind: 'government_talk',
          startsAt: '2024-02-27T10:00',
          endsAt: '2024-02-27T11:00',
        }),
        ['confirmed'],
      );
      a.a2 = await createMeeting(t, desk, trip.id, astana.id, {
        title: 'B2B bei ATAMEKEN',
        kind: 'b2b',
        startsAt: '2024-02-27T14:00',
        endsAt: '2024-02-27T15:00',
      });
      // 23:30 to 00:30 local (UTC+6): belongs to 28 February.
      a.a3 = await createMeeting(t, desk, trip.id, astana.id, {
        title: 'Empfang der Deutschen Botschaft',
        kind: 'reception',
        startsAt: '2024-02-28T23:30',
        endsAt: '2024-02-29T00:30',
      });
      a.a4 = await createMeeting(t, desk, trip.id, tashkent.id, {
        title: 'Besuch im Technopark Tashkent',
        kind: 'company_visit',
        startsAt: '2024-03-01T09:00',
        endsAt: '2024-03-01T10:00',
        attendeeIds: [delegate.id],
      });
      // 00:15 on 1 March in Tashkent is 19:15Z on 29 February: 1 March, and before a4.
      a.a5 = await createMeeting(t, desk, trip.id, tashkent.id, {
        title: 'Nachtgespräch mit UzAuto',
        kind: 'b2b',
        startsAt: '2024-03-01T00:15',
        endsAt: '2024-03-01T01:00',
      });
      a.a6 = await createMeeting(t, desk, trip.id, tashkent.id, {
        title: 'Networking-Abend',
        kind: 'networking',
        startsAt: '2024-03-02T23:30',
        endsAt: '2024-03-03T00:30',
      });
    });

    it('groups meetings by station-local day, days by date, meetings by start; each meeting as GET shows it', async () => {
      const days = await programme(trip.id);
      const withMeetings = days.filter((day) => day.meetings.length > 0);
      expect(withMeetings.map((day) => [day.date, day.station])).toEqual([
        ['2024-02-27', { id: astana.id, city: 'Astana', timeZone: 'Asia/Almaty' }],
        ['2024-02-28', { id: astana.id, city: 'Astana', timeZone: 'Asia/Almaty' }],
        ['2024-03-01', { id: tashkent.id, city: 'Tashkent', timeZone: 'Asia/Tashkent' }],
        ['2024-03-02', { id: tashkent.id, city: 'Tashkent', timeZone: 'Asia/Tashkent' }],
      ]);
      expect(withMeetings.map((day) => day.meetings)).toEqual([
        [a.a1, a.a2],
        [a.a3],
        [a.a5, a.a4],
        [a.a6],
      ]);
      const dates = days.map((day) => day.date);
      expect(dates).toEqual(sorted(dates));
    });

    it('a meeting from 23:30 to 00:30 local belongs to the day it starts, and only to that day', async () => {
      const days = await programme(trip.id);
      const holding = (meeting: MeetingBody) =>
        days
          .filter((day) => day.meetings.some((item) => item.id === meeting.id))
          .map((day) => day.date);
      expect(holding(a.a3)).toEqual(['2024-02-28']);
      expect(holding(a.a6)).toEqual(['2024-03-02']);
      expect(a.a3.local).toEqual({
        startsAt: '2024-02-28T23:30:00',
        endsAt: '2024-02-29T00:30:00',
        date: '2024-02-28',
        timeZone: 'Asia/Almaty',
        utcOffset: '+06:00',
      });
      // And a meeting early on a local day that is still the day before in UTC is on the local day.
      expect(holding(a.a5)).toEqual(['2024-03-01']);
      expect(at(a.a5.startsAt)).toBe('2024-02-29T19:15:00.000Z');
    });

    const FILTERS: [string, () => Record<string, string>, [string, string, string[]][]][] = [
      [
        'stationId=Tashkent',
        () => ({ stationId: tashkent.id }),
        [
          ['2024-03-01', 'Tashkent', ['a5', 'a4']],
          ['2024-03-02', 'Tashkent', ['a6']],
        ],
      ],
      [
        'from=2024-02-28&to=2024-03-01',
        () => ({ from: '2024-02-28', to: '2024-03-01' }),
        [
          ['2024-02-28', 'Astana', ['a3']],
          ['2024-03-01', 'Tashkent', ['a5', 'a4']],
        ],
      ],
      ['from=to=2024-02-29 (local dates)', () => ({ from: '2024-02-29', to: '2024-02-29' }), []],
      [
        'kind=b2b',
        () => ({ kind: 'b2b' }),
        [
          ['2024-02-27', 'Astana', ['a2']],
          ['2024-03-01', 'Tashkent', ['a5']],
        ],
      ],
      ['status=confirmed', () => ({ status: 'confirmed' }), [['2024-02-27', 'Astana', ['a1']]]],
      [
        'participantId',
        () => ({ participantId: delegate.id }),
        [['2024-03-01', 'Tashkent', ['a4']]],
      ],
    ];

    it.each(FILTERS)('%s', async (_, query, expected) => {
      const outline = await programmeOutline(trip.id, query());
      expect(outline).toEqual(
        expected.map(([date, city, names]) => [
          date,
          city,
          names.map((name) => a[name as keyof typeof a].id),
        ]),
      );
    });

    it.each([
      ['kind=lunch', 'kind'],
      ['status=postponed', 'status'],
      ['stationId=astana', 'stationId'],
      ['participantId=weber', 'participantId'],
      ['from=2024-02-30', 'from'],
      ['to=morgen', 'to'],
      ['colour=red', 'colour'],
    ])('GET .../programme?%s is 400 naming %s', async (query, field) => {
      expectInvalid(await call(owner(), 'get', `/trips/${trip.id}/programme?${query}`), field);
    });

    describe('SQL statements', () => {
      /** Statements the API's DataSource runs (START TRANSACTION and COMMIT included), as bench/messaging.ts counts them. */
      const statements = { value: 0 };
      beforeAll(() => {
        t.dataSource.subscribers.push({
          beforeQuery: () => {
            statements.value++;
          },
        });
      });

      /** A trip in Astana and Tashkent with `count` meetings, each with its own attendees, counterparts and host. */
      async function tripWith(count: number) {
        const {
          trip: own,
          stations: [ownAstana, ownTashkent],
        } = await plan(desk, tripBody({ startDate: '2024-04-01', endDate: '2024-04-12' }), [
          { ...ALMATY, city: 'Astana', arrivalDate: '2024-04-01', departureDate: '2024-04-06' },
          { ...TASHKENT, arrivalDate: '2024-04-06', departureDate: '2024-04-12' },
        ]);
        const delegation = await enrolInTurn(t, desk, own.id, Array(4).fill(MEMBER));
        const bodies = Array.from({ length: count }, (_, i) => {
          const inAstana = i < count / 2;
          const index = inAstana ? i : i - count / 2;
          const day = (inAstana ? 1 : 7) + Math.floor(index / 5);
          const hour = 9 + (index % 5) * 2;
          const date = `2024-04-${String(day).padStart(2, '0')}`;
          return meetingBody(inAstana ? ownAstana.id : ownTashkent.id, {
            title: `Termin ${i + 1}`,
            kind: i % 3 ? 'b2b' : 'government_talk',
            startsAt: `${date}T${String(hour).padStart(2, '0')}:00`,
            endsAt: `${date}T${String(hour + 1).padStart(2, '0')}:30`,
            attendeeIds: [delegation[i % 4].id, delegation[(i + 1) % 4].id],
            counterparts: {
              organisationIds: i % 2 ? [atameken] : [atameken, kazakhInvest],
              contactIds: [minister],
            },
            hostUserId: i % 2 ? deskOrganiser.id : desk.owner.id,
            location: { name: `Raum ${i + 1}`, address: 'Dostyk 85' },
            visibility: i % 2 ? 'delegation' : 'attendees',
          });
        });
        for (let i = 0; i < bodies.length; i += 10) {
          const answers = await Promise.all(
            bodies.slice(i, i + 10).map((body) => post(own.id, body)),
          );
          expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
        }
        return own;
      }

      /** Statements of one GET /programme, and the meetings it served. */
      async function measure(tripId: string) {
        const before = statements.value;
        const response = await call(owner(), 'get', `/trips/${tripId}/programme`);
        const count = statements.value - before;
        expect(response.status).toBe(200);
        const days = (response.body as { days: ProgrammeDay[] }).days;
        return { count, meetings: days.flatMap((day) => day.meetings).length };
      }

      it('the programme of a trip with 40 meetings takes as many SQL statements as one with 4', async () => {
        const small = await tripWith(4);
        const large = await tripWith(40);
        // Twice each: the first request of a kind may warm caches.
        await measure(small.id);
        await measure(large.id);
        const few = await measure(small.id);
        const many = await measure(large.id);
        expect(few.meetings).toBe(4);
        expect(many.meetings).toBe(40);
        expect(few.count).toBeGreaterThan(0);
        expect(many.count).toBe(few.count);
      });
    });
  });

  describe('roles and API key scopes', () => {
    type Caller =
      | 'owner'
      | 'organiser'
      | 'viewer'
      | 'programme:read key'
      | 'programme:write key'
      | 'trips:read key';
    const as = (caller: Caller): Headers => {
      switch (caller) {
        case 'owner':
          return owner();
        case 'organiser':
          return bearer(deskOrganiser.accessToken);
        case 'viewer':
          return bearer(deskViewer.accessToken);
        case 'programme:read key':
          return apiKey(keyWith['programme:read'].key);
        case 'programme:write key':
          return apiKey(keyWith['programme:write'].key);
        case 'trips:read key':
          return apiKey(keyWith['trips:read'].key);
      }
    };

    let trip: TripBody;
    let almaty: StationBody;
    let meeting: MeetingBody;
    beforeAll(async () => {
      ({
        trip,
        stations: [almaty],
      } = await plan());
      meeting = await createMeeting(t, desk, trip.id, almaty.id);
    });
    const fill = (path: string) => path.replace(':trip', trip.id).replace(':meeting', meeting.id);

    const READS = [
      '/trips/:trip/meetings',
      '/trips/:trip/meetings/:meeting',
      '/trips/:trip/programme',
    ];
    const WRITES: [Method, string, (() => Body) | undefined][] = [
      [
        'post',
        '/trips/:trip/meetings',
        () => meetingBody(almaty.id, { startsAt: '2024-03-02T10:00', endsAt: '2024-03-02T11:00' }),
      ],
      ['patch', '/trips/:trip/meetings/:meeting', () => ({ title: 'Umbenannt' })],
      ['post', '/trips/:trip/meetings/:meeting/transitions', () => ({ to: 'confirmed' })],
      ['delete', '/trips/:trip/meetings/:meeting', undefined],
    ];
    const READERS: Caller[] = [
      'owner',
      'organiser',
      'viewer',
      'programme:read key',
      'programme:write key',
    ];

    it.each(READERS.flatMap((caller) => READS.map((path) => ({ caller, path }))))(
      '$caller may GET $path',
      async ({ caller, path }) => {
        expect((await call(as(caller), 'get', fill(path))).status).toBe(200);
      },
    );

    it.each(READS)('a key with only trips:read gets 403 on GET %s', async (path) => {
      const response = await call(as('trips:read key'), 'get', fill(path));
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toMatch(/programme:read/);
    });

    it.each(
      (['viewer', 'programme:read key', 'trips:read key'] as Caller[]).flatMap((caller) =>
        WRITES.map(([method, path, body]) => ({ caller, method, path, body })),
      ),
    )('$caller gets 403 forbidden on $method $path', async ({ caller, method, path, body }) => {
      const response = await call(as(caller), method, fill(path), body?.());
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toMatch(caller === 'viewer' ? /\(viewer\)/ : /programme:write/);
    });

    it('the refused writes changed nothing', async () => {
      const { meeting: after, etag } = await getMeeting(meeting);
      expect(after).toEqual(meeting);
      expect(etag).toBe('"1"');
      expect((await listAll(trip.id)).map((item) => item.id)).toEqual([meeting.id]);
    });

    it('without credentials every route is 401', async () => {
      for (const path of READS) {
        expectProblem(await call({}, 'get', fill(path)), 401, 'authentication_required');
      }
      for (const [method, path, body] of WRITES) {
        expectProblem(await call({}, method, fill(path), body?.()), 401, 'authentication_required');
      }
    });

    it.each(['organiser', 'programme:write key'] as Caller[])(
      '%s may create, change, move along and delete meetings',
      async (caller) => {
        const headers = as(caller);
        const created = await post(
          trip.id,
          meetingBody(almaty.id, { startsAt: '2024-03-03T10:00', endsAt: '2024-03-03T11:00' }),
          headers,
        );
        expect(created.status).toBe(201);
        const own = created.body as MeetingBody;
        expect((await patch(own, { title: 'Geändert' }, headers)).status).toBe(200);
        expect((await transition(own, 'cancelled', headers)).status).toBe(200);
        expect((await call(headers, 'delete', meetingPath(own))).status).toBe(204);
      },
    );
  });

  describe('tenant isolation', () => {
    let mine: { trip: TripBody; station: StationBody; meeting: MeetingBody };
    let theirs: { trip: TripBody; station: StationBody; meeting: MeetingBody };
    beforeAll(async () => {
      const [a, b] = await Promise.all([plan(desk), plan(rival)]);
      const [myMeeting, theirMeeting] = await Promise.all([
        createMeeting(t, desk, a.trip.id, a.stations[0].id),
        createMeeting(t, rival, b.trip.id, b.stations[0].id),
      ]);
      mine = { trip: a.trip, station: a.stations[0], meeting: myMeeting };
      theirs = { trip: b.trip, station: b.stations[0], meeting: theirMeeting };
    });

    const ROUTES: [Method, string, boolean][] = [
      ['get', '/trips/:trip/meetings', false],
      ['post', '/trips/:trip/meetings', true],
      ['get', '/trips/:trip/programme', false],
      ['get', '/trips/:trip/meetings/:meeting', false],
      ['patch', '/trips/:trip/meetings/:meeting', true],
      ['post', '/trips/:trip/meetings/:meeting/transitions', true],
      ['delete', '/trips/:trip/meetings/:meeting', false],
    ];
    const MEETING_ROUTES = ROUTES.filter(([, path]) => path.includes(':meeting'));
    const fill = (path: string, trip: string, meeting: string) =>
      path.replace(':trip', trip).replace(':meeting', meeting);
    const bodyFor = (method: Method, path: string, stationId: string): Body =>
      path.endsWith('/transitions')
        ? { to: 'confirmed' }
        : method === 'patch'
          ? { title: 'Übernommen' }
          : meetingBody(stationId);
    const essence = (response: Response) => ({
      status: response.status,
      code: response.body.code as string,
      detail: response.body.detail as string,
    });

    it.each(ROUTES)(
      "%s %s with the other agency's ids is 404 not_found, exactly as for unknown ids",
      async (method, path, hasBody) => {
        const body = hasBody ? bodyFor(method, path, theirs.station.id) : undefined;
        const foreign = await call(
          owner(),
          method,
          fill(path, theirs.trip.id, theirs.meeting.id),
          body,
        );
        const unknown = await call(owner(), method, fill(path, randomUUID(), randomUUID()), body);
        expectProblem(foreign, 404, 'not_found');
        expect(essence(foreign)).toEqual(essence(unknown));
        const byKey = await call(
          apiKey(keyWith['programme:write'].key),
          method,
          fill(path, theirs.trip.id, theirs.meeting.id),
          body,
        );
        expectProblem(byKey, 404, 'not_found');
      },
    );

    it.each(MEETING_ROUTES)(
      "%s %s with the other agency's meeting under one's own trip, or one's own meeting under another trip, is 404",
      async (method, path, hasBody) => {
        const body = hasBody ? bodyFor(method, path, mine.station.id) : undefined;
        expectProblem(
          await call(owner(), method, fill(path, mine.trip.id, theirs.meeting.id), body),
          404,
          'not_found',
        );
        const other = await createTrip(t, desk, TRIP_2024);
        expectProblem(
          await call(owner(), method, fill(path, other.id, mine.meeting.id), body),
          404,
          'not_found',
        );
      },
    );

    it("the other agency's meeting is untouched, and nothing of it shows in one's own lists", async () => {
      const response = await call(owner(rival), 'get', meetingPath(theirs.meeting));
      expect(response.status).toBe(200);
      expect(response.body).toEqual(theirs.meeting);
      expect(response.headers.etag).toBe('"1"');
      expect((await listAll(mine.trip.id)).map((item) => item.id)).toEqual([mine.meeting.id]);
      expect((await getMeeting(mine.meeting)).meeting).toEqual(mine.meeting);
    });

    it('a malformed id is 400 naming the parameter, not 404', async () => {
      expectInvalid(await call(owner(), 'get', '/trips/kasachstan-2024/meetings'), 'id');
      expectInvalid(
        await call(owner(), 'get', `/trips/${mine.trip.id}/meetings/akimat`),
        'meetingId',
      );
    });
  });

  describe('audit trail', () => {
    it('records meeting.created, meeting.updated (before/after) and meeting.status_changed, by whom', async () => {
      const {
        trip,
        stations: [almaty],
      } = await plan();
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
        title: 'Gespräch mit Kazakh Invest',
        kind: 'government_talk',
      });
      const patched = await patch(
        meeting,
        { title: 'Gespräch mit Kazakh Invest (verschoben)' },
        bearer(deskOrganiser.accessToken),
      );
      expect(patched.status).toBe(200);
      await moveMeeting(t, apiKey(keyWith['programme:write'].key), meeting, ['confirmed']);

      const events = await auditEvents({ entityType: 'meeting', entityId: meeting.id });
      expect(events.map((event) => [event.action, event.actorType, event.actorId])).toEqual([
        ['meeting.status_changed', 'api_key', keyWith['programme:write'].id],
        ['meeting.updated', 'user', deskOrganiser.id],
        ['meeting.created', 'user', desk.owner.id],
      ]);
      const [confirmed, updated, created] = events;
      expect(confirmed.changes).toEqual({ status: { before: 'planned', after: 'confirmed' } });
      expect(updated.changes).toEqual({
        title: {
          before: 'Gespräch mit Kazakh Invest',
          after: 'Gespräch mit Kazakh Invest (verschoben)',
        },
      });
      expect(created.changes).toMatchObject({
        title: { before: null, after: 'Gespräch mit Kazakh Invest' },
        kind: { before: null, after: 'government_talk' },
      });
      for (const event of events) expect(event.entityType).toBe('meeting');
    });

    it('refused changes record nothing', async () => {
      const { trip, almaty, delegate } = await planWithDelegate();
      const busy = await createMeeting(t, desk, trip.id, almaty.id, { attendeeIds: [delegate.id] });
      const meeting = await createMeeting(t, desk, trip.id, almaty.id, {
        startsAt: '2024-03-01T12:00',
        endsAt: '2024-03-01T13:00',
        attendeeIds: [delegate.id],
      });
      expectDoubleBooked(await patch(meeting, { startsAt: '2024-03-01T10:30' }), delegate.id, busy);
      expectInvalid(await patch(meeting, { endsAt: '2024-03-01T11:00' }), 'endsAt');
      expectProblem(await transition(meeting, 'held'), 409, 'illegal_transition');
      expectProblem(
        await patch(meeting, { title: 'Nur lesen' }, bearer(deskViewer.accessToken)),
        403,
        'forbidden',
      );
      const events = await auditEvents({ entityType: 'meeting', entityId: meeting.id });
      expect(events.map((event) => event.action)).toEqual(['meeting.created']);
    });
  });
});
