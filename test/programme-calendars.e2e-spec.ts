import { PublicTokens } from '../src/common/links/public-tokens.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import {
  addParticipant,
  addStation,
  createContact,
  createOrganisation,
  createTrip,
  tripBody,
  type ParticipantBody,
  type StationBody,
  type TripBody,
} from './support/factories.js';
import { readCalendar } from './support/calendar.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The programme as iCalendar files: the trip's calendar for staff and a
 * participant's itinerary, read back with a real parser in the station's
 * own timezone, with UIDs that stay and SEQUENCEs that rise.
 */
describe('programme calendars', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;
  let trip: TripBody;
  let almaty: StationBody;
  let berlin: StationBody;
  let traveller: ParticipantBody;
  let other: ParticipantBody;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    auth = bearer(desk.owner.accessToken);
    trip = await createTrip(t, desk, tripBody({ startDate: '2024-02-26', endDate: '2025-10-28' }));
    almaty = await addStation(t, desk, trip.id, {
      city: 'Almaty',
      country: 'KZ',
      timezone: 'Asia/Almaty',
      arrivalDate: '2024-02-27',
      departureDate: '2024-03-02',
    });
    berlin = await addStation(t, desk, trip.id, {
      city: 'Berlin',
      country: 'DE',
      timezone: 'Europe/Berlin',
      arrivalDate: '2025-10-25',
      departureDate: '2025-10-28',
    });
    traveller = await addParticipant(t, desk, trip.id, {
      contact: { firstName: 'Jana', lastName: 'Vogt' },
    });
    other = await addParticipant(t, desk, trip.id, {
      contact: { firstName: 'Uwe', lastName: 'Kranz' },
    });
  });

  afterAll(() => t.close());

  const meeting = async (body: object) => {
    const response = await t
      .http()
      .post(`/api/v1/trips/${trip.id}/meetings`)
      .set(auth)
      .send({ kind: 'government_talk', ...body });
    expect(response.status).toBe(201);
    return response.body as { id: string; version: number };
  };

  it('shows each meeting at its station’s local time, across Almaty’s 2024 change and the end of Berlin’s summer time', async () => {
    const chamber = await createOrganisation(t, desk, {
      name: 'ATAMEKEN National Chamber',
      shortName: 'ATAMEKEN',
      country: 'KZ',
    });
    const minister = await createContact(t, desk, {
      firstName: 'Serik',
      lastName: 'Zhumangarin',
      position: 'Minister of Trade',
    });
    const before = await meeting({
      title: 'Ministry of Trade',
      stationId: almaty.id,
      startsAt: '2024-02-29T10:00',
      endsAt: '2024-02-29T11:00',
      attendeeIds: [traveller.id],
      counterparts: { contactIds: [minister.id] },
      location: { name: 'Ministry of Trade and Integration', address: 'Mangilik El 8' },
    });
    const after = await meeting({
      title: 'ATAMEKEN',
      stationId: almaty.id,
      startsAt: '2024-03-01T10:00',
      endsAt: '2024-03-01T11:30',
      counterparts: { organisationIds: [chamber.id] },
      visibility: 'delegation',
    });
    await meeting({
      title: 'Debrief',
      stationId: berlin.id,
      startsAt: '2025-10-27T10:00',
      endsAt: '2025-10-27T11:00',
      attendeeIds: [other.id],
    });

    const response = await t.http().get(`/api/v1/trips/${trip.id}/calendar.ics`).set(auth);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers.etag).toMatch(/^W\/"/);
    const events = readCalendar(response.text);
    expect(events).toEqual([
      expect.objectContaining({
        uid: `${before.id}@delegation-desk`,
        sequence: 0,
        summary: 'Ministry of Trade',
        status: 'TENTATIVE',
        tzid: 'Asia/Almaty',
        localStart: '2024-02-29T10:00:00',
        start: '2024-02-29T04:00:00.000Z',
        end: '2024-02-29T05:00:00.000Z',
        location: 'Ministry of Trade and Integration, Mangilik El 8, Almaty',
        description: 'With: Serik Zhumangarin, Minister of Trade',
      }),
      expect.objectContaining({
        uid: `${after.id}@delegation-desk`,
        tzid: 'Asia/Almaty',
        localStart: '2024-03-01T10:00:00',
        start: '2024-03-01T05:00:00.000Z',
        description: 'With: ATAMEKEN',
      }),
      expect.objectContaining({
        tzid: 'Europe/Berlin',
        localStart: '2025-10-27T10:00:00',
        start: '2025-10-27T09:00:00.000Z',
      }),
    ]);

    // Unchanged: the same tag, 304.
    const again = await t
      .http()
      .get(`/api/v1/trips/${trip.id}/calendar.ics`)
      .set({ ...auth, 'If-None-Match': response.headers.etag });
    expect(again.status).toBe(304);
  });

  it('keeps a meeting’s UID through edits, raises its SEQUENCE, and keeps it as CANCELLED', async () => {
    const talk = await meeting({
      title: 'Akimat',
      stationId: almaty.id,
      startsAt: '2024-03-02T09:00',
      endsAt: '2024-03-02T10:00',
      attendeeIds: [traveller.id],
    });
    await t
      .http()
      .patch(`/api/v1/trips/${trip.id}/meetings/${talk.id}`)
      .set(auth)
      .send({ startsAt: '2024-03-02T14:00', endsAt: '2024-03-02T15:00' })
      .expect(200);
    const moved = readCalendar(
      (await t.http().get(`/api/v1/trips/${trip.id}/calendar.ics`).set(auth)).text,
    ).find((event) => event.uid === `${talk.id}@delegation-desk`);
    expect(moved).toMatchObject({ sequence: 1, localStart: '2024-03-02T14:00:00' });

    await t
      .http()
      .post(`/api/v1/trips/${trip.id}/meetings/${talk.id}/transitions`)
      .set(auth)
      .send({ to: 'cancelled' })
      .expect(200);
    const cancelled = readCalendar(
      (await t.http().get(`/api/v1/trips/${trip.id}/calendar.ics`).set(auth)).text,
    ).find((event) => event.uid === `${talk.id}@delegation-desk`);
    expect(cancelled).toMatchObject({ sequence: 2, status: 'CANCELLED' });
  });

  it('a participant’s itinerary holds their meetings and the delegation’s, as JSON and as a calendar', async () => {
    const json = await t
      .http()
      .get(`/api/v1/trips/${trip.id}/participants/${traveller.id}/itinerary`)
      .set(auth);
    expect(json.status).toBe(200);
    const body = json.body as {
      stations: { city: string; timeZone: string }[];
      meetings: { title: string; local: { startsAt: string; utcOffset: string } }[];
    };
    expect(body.stations.map((station) => [station.city, station.timeZone])).toEqual([
      ['Almaty', 'Asia/Almaty'],
      ['Berlin', 'Europe/Berlin'],
    ]);
    expect(body.meetings.map((m) => [m.title, m.local.startsAt, m.local.utcOffset])).toEqual([
      ['Ministry of Trade', '2024-02-29T10:00:00', '+06:00'],
      ['ATAMEKEN', '2024-03-01T10:00:00', '+05:00'],
      ['Akimat', '2024-03-02T14:00:00', '+05:00'],
    ]);

    for (const request of [
      t.http().get(`/api/v1/trips/${trip.id}/participants/${traveller.id}/itinerary.ics`).set(auth),
      t
        .http()
        .get(`/api/v1/trips/${trip.id}/participants/${traveller.id}/itinerary`)
        .set({ ...auth, Accept: 'text/calendar' }),
    ]) {
      const response = await request;
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(readCalendar(response.text).map((event) => [event.summary, event.status])).toEqual([
        ['Ministry of Trade', 'TENTATIVE'],
        ['ATAMEKEN', 'TENTATIVE'],
        ['Akimat', 'CANCELLED'],
      ]);
    }

    // The other participant sees only their own meeting and the delegation's: not the minister.
    const theirs = readCalendar(
      (
        await t
          .http()
          .get(`/api/v1/trips/${trip.id}/participants/${other.id}/itinerary.ics`)
          .set(auth)
      ).text,
    );
    expect(theirs.map((event) => event.summary)).toEqual(['ATAMEKEN', 'Debrief']);
  });

  it('a participant subscribes to a personal feed from their self-service data; it ends with their participation', async () => {
    const links = t.app.get(PublicTokens);
    const [{ access_nonce: nonce }] = await t.dataSource.query<{ access_nonce: string }[]>(
      'SELECT access_nonce FROM participants WHERE id = $1',
      [traveller.id],
    );
    const own = await t
      .http()
      .get(`/api/v1/public/registrations/${links.sign('registration', traveller.id, nonce)}`)
      .expect(200);
    const feed = (own.body as { calendarFeed: string }).calendarFeed;
    expect(feed).toBe(
      `${t.config.PUBLIC_BASE_URL}/api/v1/public/itineraries/${links.sign('itinerary', traveller.id, nonce)}.ics`,
    );
    const path = new URL(feed).pathname;

    const response = await t.http().get(path);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(readCalendar(response.text).map((event) => event.summary)).toEqual([
      'Ministry of Trade',
      'ATAMEKEN',
      'Akimat',
    ]);
    // Nothing of the other participant's programme or of who else attends.
    expect(response.text).not.toContain('Debrief');
    expect(response.text).not.toContain(other.id);
    expect(response.text).not.toContain('Kranz');

    // A tampered, foreign or suffix-less link opens nothing.
    const token = path.split('/').pop()!.replace('.ics', '');
    // Two characters changed (a MAC may end in "AA" itself: then "BA").
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BA' : 'AA'}`;
    for (const wrong of [
      `${tampered}.ics`,
      `${links.sign('registration', traveller.id, nonce)}.ics`,
      token,
    ]) {
      expect((await t.http().get(`/api/v1/public/itineraries/${wrong}`)).status).toBe(404);
    }

    await t
      .http()
      .post(`/api/v1/trips/${trip.id}/participants/${traveller.id}/transitions`)
      .set(auth)
      .send({ to: 'cancelled' })
      .expect(200);
    expect((await t.http().get(path)).status).toBe(404);
  });

  it('an organisation or contact met in a meeting cannot be deleted: the 409 names the meetings', async () => {
    const chamber = await createOrganisation(t, desk, {
      name: 'Chamber of Commerce Almaty',
      country: 'KZ',
    });
    const host = await createContact(t, desk, { firstName: 'Aida', lastName: 'Nurlanova' });
    const talk = await meeting({
      title: 'Chamber of Commerce',
      stationId: almaty.id,
      startsAt: '2024-03-02T16:00',
      endsAt: '2024-03-02T17:00',
      counterparts: { organisationIds: [chamber.id], contactIds: [host.id] },
    });
    for (const path of [
      `/api/v1/partner-organisations/${chamber.id}`,
      `/api/v1/contacts/${host.id}`,
    ]) {
      const refused = await t.http().delete(path).set(auth);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'in_use', meetingIds: [talk.id] });
      expect((refused.body as { detail: string }).detail).toContain('“Chamber of Commerce”');
    }
    await t
      .http()
      .patch(`/api/v1/trips/${trip.id}/meetings/${talk.id}`)
      .set(auth)
      .send({ counterparts: { organisationIds: [], contactIds: [] } })
      .expect(200);
    await t.http().delete(`/api/v1/partner-organisations/${chamber.id}`).set(auth).expect(204);
    await t.http().delete(`/api/v1/contacts/${host.id}`).set(auth).expect(204);
  });

  it('another agency’s trip or participant is 404', async () => {
    const rival = await signUpAgency(t, { tenantName: 'Bayern International' });
    for (const path of [
      `/api/v1/trips/${trip.id}/calendar.ics`,
      `/api/v1/trips/${trip.id}/participants/${traveller.id}/itinerary`,
      `/api/v1/trips/${trip.id}/participants/${traveller.id}/itinerary.ics`,
    ]) {
      const response = await t.http().get(path).set(bearer(rival.owner.accessToken));
      expect(response.status).toBe(404);
    }
  });
});
