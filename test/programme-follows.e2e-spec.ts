import { DateTime } from 'luxon';
import { expectProblem, type AuditEventBody, type PageBody } from './support/api.js';
import { readCalendar } from './support/calendar.js';
import {
  addParticipant,
  addStation,
  createContact,
  createMeeting,
  createTrip,
  moveMeeting,
  tripBody,
  type MeetingBody,
  type StationBody,
  type TripBody,
} from './support/factories.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The programme follows the rest of the plan, in the same transaction as the
 * change elsewhere: a station's dates cannot strand meetings, a station's new
 * timezone keeps the meetings' instants and says their local times moved, a
 * participant who cancels leaves what lies ahead, and an erased person is no
 * longer named as met.
 */
describe('the programme follows the plan', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await signUpAgency(t, { tenantName: 'Sachsen Global' });
    auth = bearer(desk.owner.accessToken);
  });

  afterAll(() => t.close());

  /** A trip in May 2027 with one station, 11 to 14 May, in `timezone`. */
  async function plan(timezone = 'Asia/Almaty'): Promise<{ trip: TripBody; station: StationBody }> {
    const trip = await createTrip(
      t,
      desk,
      tripBody({ startDate: '2027-05-10', endDate: '2027-05-20' }),
    );
    const station = await addStation(t, desk, trip.id, {
      city: 'Almaty',
      country: 'KZ',
      timezone,
      arrivalDate: '2027-05-11',
      departureDate: '2027-05-14',
    });
    return { trip, station };
  }

  const stationPath = (station: StationBody) =>
    `/api/v1/trips/${station.tripId}/stations/${station.id}`;
  const patchStation = (station: StationBody, body: object) =>
    t.http().patch(stationPath(station)).set(auth).send(body);
  const meetingPath = (meeting: MeetingBody) =>
    `/api/v1/trips/${meeting.tripId}/meetings/${meeting.id}`;
  const getMeeting = async (meeting: MeetingBody) =>
    (await t.http().get(meetingPath(meeting)).set(auth).expect(200)).body as MeetingBody;

  async function auditEvents(entityType: string, entityId: string): Promise<AuditEventBody[]> {
    const response = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ entityType, entityId })
      .set(auth)
      .expect(200);
    return (response.body as PageBody<AuditEventBody>).items;
  }

  describe("a station's dates", () => {
    it('that would strand a meeting outside the station are 409 meetings_outside_station naming it; nothing changes', async () => {
      const { station, trip } = await plan();
      const late = await createMeeting(t, desk, trip.id, station.id, {
        title: 'Akimat Almaty',
        startsAt: '2027-05-14T10:00',
        endsAt: '2027-05-14T11:00',
      });
      await createMeeting(t, desk, trip.id, station.id, {
        startsAt: '2027-05-12T10:00',
        endsAt: '2027-05-12T11:00',
      });

      const refused = await patchStation(station, { departureDate: '2027-05-13' });
      const problem = expectProblem(refused, 409, 'meetings_outside_station');
      expect(problem.meetingIds).toEqual([late.id]);
      expect(problem.detail).toContain('“Akimat Almaty” (2027-05-14)');
      const unchanged = await t.http().get(stationPath(station)).set(auth).expect(200);
      expect(unchanged.body).toMatchObject({ departureDate: '2027-05-14', version: 1 });

      // Once the meeting is cancelled it no longer holds the station's dates.
      await moveMeeting(t, desk, late, ['cancelled']);
      const moved = await patchStation(station, { departureDate: '2027-05-13' });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ departureDate: '2027-05-13', notices: [] });
    });

    it('a new timezone that would move a meeting to a local day the delegation is elsewhere is 409 too', async () => {
      const { station, trip } = await plan('Europe/Berlin');
      // 23:00 in Berlin on the last day is 02:00 the next day in Almaty.
      const evening = await createMeeting(t, desk, trip.id, station.id, {
        title: 'Abendempfang',
        kind: 'reception',
        startsAt: '2027-05-14T23:00',
        endsAt: '2027-05-14T23:45',
      });
      const refused = await patchStation(station, { timezone: 'Asia/Almaty' });
      expect(expectProblem(refused, 409, 'meetings_outside_station').meetingIds).toEqual([
        evening.id,
      ]);
      expect((await getMeeting(evening)).local).toMatchObject({
        startsAt: '2027-05-14T23:00:00',
        timeZone: 'Europe/Berlin',
      });
    });
  });

  describe("a station's new timezone", () => {
    /** A station entered as Berlin by mistake, corrected to Almaty: meetings keep their instants. */
    async function corrected() {
      const { station, trip } = await plan('Europe/Berlin');
      const talk = await createMeeting(t, desk, trip.id, station.id, {
        title: 'Ministerium für Handel',
        kind: 'government_talk',
        startsAt: '2027-05-12T10:00',
        endsAt: '2027-05-12T11:00',
      });
      const dropped = await createMeeting(t, desk, trip.id, station.id, {
        startsAt: '2027-05-11T09:00',
        endsAt: '2027-05-11T10:00',
      });
      await moveMeeting(t, desk, dropped, ['cancelled']);
      const before = await t.http().get(meetingPath(talk)).set(auth).expect(200);
      const response = await patchStation(station, { timezone: 'Asia/Almaty' });
      return { station, trip, talk, dropped, before, response };
    }

    it('keeps the instants; the response names the meetings whose local times moved', async () => {
      const { talk, dropped, response } = await corrected();
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        timezone: 'Asia/Almaty',
        version: 2,
        notices: [
          {
            code: 'meetings_shown_in_new_timezone',
            subject: 'meeting',
            // Cancelled ones too: they stay in calendars, which must show them right.
            ids: [dropped.id, talk.id],
          },
        ],
      });
      const [notice] = (response.body as { notices: { detail: string }[] }).notices;
      expect(notice.detail).toBe(
        'The 2 meetings at this station keep their times as instants; their local times now read in Asia/Almaty.',
      );

      const now = await getMeeting(talk);
      // 10:00 in Berlin (summer time, UTC+2) is 08:00Z, which is 13:00 in Almaty (UTC+5).
      expect([now.startsAt, now.endsAt]).toEqual([talk.startsAt, talk.endsAt]);
      expect(talk.startsAt).toBe('2027-05-12T08:00:00.000Z');
      expect(now.local).toEqual({
        startsAt: '2027-05-12T13:00:00',
        endsAt: '2027-05-12T14:00:00',
        date: '2027-05-12',
        timeZone: 'Asia/Almaty',
        utcOffset: '+05:00',
      });
    });

    it('gives each meeting a new version: its old ETag no longer answers 304, its calendar SEQUENCE rises', async () => {
      const { trip, talk, before } = await corrected();
      const fresh = await t
        .http()
        .get(meetingPath(talk))
        .set({ ...auth, 'If-None-Match': before.headers.etag });
      expect(fresh.status).toBe(200);
      expect((fresh.body as MeetingBody).version).toBe(talk.version + 1);

      const calendar = await t.http().get(`/api/v1/trips/${trip.id}/calendar.ics`).set(auth);
      const event = readCalendar(calendar.text).find(
        (reading) => reading.uid === `${talk.id}@delegation-desk`,
      );
      expect(event).toMatchObject({
        sequence: 1,
        tzid: 'Asia/Almaty',
        localStart: '2027-05-12T13:00:00',
        start: '2027-05-12T08:00:00.000Z',
      });
    });

    it('is in each meeting’s audit trail, by who changed the station', async () => {
      const { talk } = await corrected();
      const [latest] = await auditEvents('meeting', talk.id);
      expect(latest).toMatchObject({
        action: 'meeting.updated',
        actorType: 'user',
        actorId: desk.owner.id,
        changes: { timeZone: { before: 'Europe/Berlin', after: 'Asia/Almaty' } },
      });
    });

    it('other changes of a station, or a station without meetings, bring no notices', async () => {
      const { station, trip } = await plan();
      const renamed = await patchStation(station, { timezone: 'Asia/Qostanay' });
      expect(renamed.body).toMatchObject({ timezone: 'Asia/Qostanay', notices: [] });
      await createMeeting(t, desk, trip.id, station.id, {
        startsAt: '2027-05-12T10:00',
        endsAt: '2027-05-12T11:00',
      });
      const city = await patchStation(station, { city: 'Almaty (Alatau)' });
      expect(city.body).toMatchObject({ city: 'Almaty (Alatau)', notices: [] });
    });
  });

  describe('a participant who cancels', () => {
    it('leaves the meetings ahead, stays in those already begun; recorded as meeting.attendee_left', async () => {
      // A trip under way: it started yesterday in Almaty and ends in five days.
      const today = DateTime.now().setZone('Asia/Almaty').startOf('day');
      const day = (offset: number) => today.plus({ days: offset }).toISODate()!;
      const at = (offset: number, hour: number) =>
        today.plus({ days: offset, hours: hour }).toFormat("yyyy-MM-dd'T'HH:mm");
      const trip = await createTrip(t, desk, tripBody({ startDate: day(-1), endDate: day(5) }));
      const station = await addStation(t, desk, trip.id, {
        city: 'Almaty',
        country: 'KZ',
        timezone: 'Asia/Almaty',
        arrivalDate: day(-1),
        departureDate: day(5),
      });
      const [leaving, staying] = await Promise.all(
        ['Jana Vogt', 'Uwe Kranz'].map((name) => {
          const [firstName, lastName] = name.split(' ');
          return addParticipant(t, desk, trip.id, { contact: { firstName, lastName } });
        }),
      );
      const attendeeIds = [leaving.id, staying.id];
      const yesterday = await createMeeting(t, desk, trip.id, station.id, {
        startsAt: at(-1, 10),
        endsAt: at(-1, 11),
        attendeeIds,
      });
      const tomorrow = await createMeeting(t, desk, trip.id, station.id, {
        startsAt: at(1, 10),
        endsAt: at(1, 11),
        attendeeIds,
      });

      await t
        .http()
        .post(`/api/v1/trips/${trip.id}/participants/${leaving.id}/transitions`)
        .set(auth)
        .send({ to: 'cancelled' })
        .expect(200);

      expect((await getMeeting(yesterday)).attendeeIds).toEqual([...attendeeIds].sort());
      const ahead = await getMeeting(tomorrow);
      expect(ahead.attendeeIds).toEqual([staying.id]);
      expect(ahead.version).toBe(tomorrow.version + 1);
      const [left] = await auditEvents('meeting', tomorrow.id);
      expect(left).toMatchObject({
        action: 'meeting.attendee_left',
        actorId: desk.owner.id,
        changes: { attendeeIds: { before: [...attendeeIds].sort(), after: [staying.id] } },
      });
      expect((await auditEvents('meeting', yesterday.id)).map((event) => event.action)).toEqual([
        'meeting.created',
      ]);
    });
  });

  describe('an erased person', () => {
    it('is no longer named as met; the meeting stays', async () => {
      const { trip, station } = await plan();
      const [minister, deputy] = await Promise.all([
        createContact(t, desk, { firstName: 'Serik', lastName: 'Zhumangarin' }),
        createContact(t, desk, { firstName: 'Aida', lastName: 'Nurlanova' }),
      ]);
      const talk = await createMeeting(t, desk, trip.id, station.id, {
        startsAt: '2027-05-12T10:00',
        endsAt: '2027-05-12T11:00',
        counterparts: { contactIds: [minister.id, deputy.id] },
      });
      await t.http().post(`/api/v1/contacts/${minister.id}/erase`).set(auth).expect(200);
      const after = await getMeeting(talk);
      expect(after.title).toBe(talk.title);
      expect(after.counterparts.contactIds).toEqual([deputy.id]);
      // A new version: whoever holds the old one learns it changed.
      expect(after.version).toBe(talk.version + 1);
    });
  });
});
