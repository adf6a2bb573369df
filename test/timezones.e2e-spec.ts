import { CurrentTimezoneNames1764300000000 } from '../migrations/1764300000000-CurrentTimezoneNames.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { invite } from './support/delivery.js';
import { addStation } from './support/factories.js';
import { addContacts, eventually, inDays, openTrip, startWithSink } from './support/messaging.js';
import type { SmtpSink } from './support/smtp-sink.js';
import type { TestApp } from './support/test-app.js';

interface StationBody {
  id: string;
  city: string;
  timezone: string;
  version: number;
}

/**
 * Zones keep the name today's IANA database gives them: Intl hands back
 * legacy names (Europe/Kiev), which the API must neither store nor show.
 */
describe('timezones under their current IANA names', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let agency: Agency;

  beforeAll(async () => {
    ({ t, sink } = await startWithSink());
    agency = await signUpAgency(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const auth = () => bearer(agency.owner.accessToken);

  /** A day's station in `city`, a month from now. */
  const stationIn = (city: string, country: string, timezone: string) => ({
    city,
    country,
    timezone,
    arrivalDate: inDays(31),
    departureDate: inDays(32),
  });

  it.each([
    ['Kyiv', 'Europe/Kyiv', 'Europe/Kyiv', 'UA'],
    ['Kyiv', 'Europe/Kiev', 'Europe/Kyiv', 'UA'],
    ['Ho Chi Minh City', 'Asia/Ho_Chi_Minh', 'Asia/Ho_Chi_Minh', 'VN'],
    ['Ho Chi Minh City', 'Asia/Saigon', 'Asia/Ho_Chi_Minh', 'VN'],
    ['Kolkata', 'Asia/Kolkata', 'Asia/Kolkata', 'IN'],
    ['Kolkata', 'Asia/Calcutta', 'Asia/Kolkata', 'IN'],
    ['Almaty', 'Asia/Almaty', 'Asia/Almaty', 'KZ'],
    ['Almaty', 'ASIA/ALMATY', 'Asia/Almaty', 'KZ'],
  ])(
    'a station in %s sent as %s is stored, shown and listed as %s',
    async (city, given, current, country) => {
      const trip = await openTrip(t, agency);
      const created = await addStation(t, agency, trip.id, stationIn(city, country, given));
      expect(created.timezone).toBe(current);
      const read = await t
        .http()
        .get(`/api/v1/trips/${trip.id}/stations/${created.id}`)
        .set(auth())
        .expect(200);
      expect((read.body as StationBody).timezone).toBe(current);
      const list = await t.http().get(`/api/v1/trips/${trip.id}/stations`).set(auth()).expect(200);
      const listed = (list.body as { items: StationBody[] }).items.find(
        (station) => station.id === created.id,
      );
      expect(listed?.timezone).toBe(current);
      const [row] = await t.dataSource.query<{ timezone: string }[]>(
        'SELECT timezone FROM stations WHERE id = $1',
        [created.id],
      );
      expect(row.timezone).toBe(current);
    },
  );

  it("an agency's own timezone is stored under its current name too", async () => {
    const response = await t
      .http()
      .patch('/api/v1/tenant')
      .set(auth())
      .send({ timezone: 'Europe/Kiev' })
      .expect(200);
    expect((response.body as { timezone: string }).timezone).toBe('Europe/Kyiv');
    await t.http().patch('/api/v1/tenant').set(auth()).send({ timezone: 'Europe/Berlin' });
  });

  it('the invitation email names the station in Kyiv by its current zone name', async () => {
    const trip = await openTrip(t, agency);
    await addStation(t, agency, trip.id, stationIn('Kyiv', 'UA', 'Europe/Kiev'));
    const [contact] = await addContacts(t, agency, 1);
    expect(await invite(t, agency, trip.id, [contact.id])).toBe(1);
    await eventually(
      () => sink.messages.some((mail) => mail.text?.includes('Kyiv')),
      20_000,
      'the invitation mail',
    );
    const mail = sink.messages.find((entry) => entry.text?.includes('Kyiv'))!;
    expect(mail.text).toContain('Europe/Kyiv');
    expect(mail.text).not.toContain('Europe/Kiev');
    expect(mail.html).toContain('Europe/Kyiv');
  });

  it('the migration renames stored legacy names and gives the rows a new version', async () => {
    const trip = await openTrip(t, agency);
    const station = await addStation(t, agency, trip.id, stationIn('Kyiv', 'UA', 'Europe/Kyiv'));
    const almaty = await addStation(t, agency, trip.id, stationIn('Almaty', 'KZ', 'Asia/Almaty'));
    // As the code before this change stored them.
    await t.dataSource.query("UPDATE stations SET timezone = 'Europe/Kiev' WHERE id = $1", [
      station.id,
    ]);
    const runner = t.dataSource.createQueryRunner();
    try {
      await new CurrentTimezoneNames1764300000000().up(runner);
    } finally {
      await runner.release();
    }
    const rows = await t.dataSource.query<{ id: string; timezone: string; version: number }[]>(
      'SELECT id, timezone, version FROM stations WHERE id = ANY($1) ORDER BY city',
      [[station.id, almaty.id]],
    );
    expect(rows).toEqual([
      { id: almaty.id, timezone: 'Asia/Almaty', version: almaty.version },
      { id: station.id, timezone: 'Europe/Kyiv', version: station.version + 1 },
    ]);
  });
});
