import { bearer, login } from './support/identity.js';
import { spawnTypeScript } from './support/spawn.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** `npm run cli -- seed-demo` on a fresh database, run twice, then used through the API. */
describe('the demo data', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t.close());

  async function seed(): Promise<string> {
    const cli = spawnTypeScript(
      'src/cli.ts',
      {
        ...process.env,
        DATABASE_URL: t.config.DATABASE_URL,
        REDIS_URL: t.config.REDIS_URL,
        REDIS_PREFIX: t.config.REDIS_PREFIX,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
      },
      ['seed-demo'],
    );
    expect((await cli.exited).code).toBe(0);
    const password = /password: (\S+)/.exec(cli.stdout())?.[1];
    expect(password).toBeDefined();
    expect(cli.stdout()).toContain('email:    demo.owner@example.org');
    return password ?? '';
  }

  const count = async (table: string) =>
    (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;

  it('gives an agency a new user can sign into and browse; running it again adds nothing', async () => {
    await seed();
    const counts = {
      organisations: await count('partner_organisations'),
      contacts: await count('contacts'),
      trips: await count('trips'),
      stations: await count('stations'),
    };
    expect(counts).toEqual({ organisations: 15, contacts: 11, trips: 3, stations: 8 });

    const password = await seed();
    expect({
      organisations: await count('partner_organisations'),
      contacts: await count('contacts'),
      trips: await count('trips'),
      stations: await count('stations'),
    }).toEqual(counts);

    const session = await login(t, 'demo.owner@example.org', password);
    const auth = bearer(session.accessToken);
    const me = await t.http().get('/api/v1/me').set(auth).expect(200);
    expect(me.body).toMatchObject({ role: 'owner', tenant: { name: 'Thüringen International' } });

    interface TripItem {
      id: string;
      title: string;
      status: string;
      leadContactId: string;
      coOrganiserIds: string[];
    }
    const trips = (await t.http().get('/api/v1/trips').set(auth).expect(200)).body as {
      items: TripItem[];
    };
    expect(trips.items.map((trip) => trip.title)).toEqual([
      'Geschäftsreise Südkorea',
      'Delegationsreise Zentralasien',
      'Markterkundungsreise Kasachstan und Usbekistan',
    ]);
    const [korea, , kazakhstan] = trips.items as [TripItem, TripItem, TripItem];
    expect(kazakhstan.status).toBe('completed');
    const stations = (
      await t.http().get(`/api/v1/trips/${kazakhstan.id}/stations`).set(auth).expect(200)
    ).body as { items: { city: string; timezone: string }[] };
    expect(stations.items.map((station) => [station.city, station.timezone])).toEqual([
      ['Astana', 'Asia/Almaty'],
      ['Almaty', 'Asia/Almaty'],
      ['Tashkent', 'Asia/Tashkent'],
      ['Samarkand', 'Asia/Samarkand'],
    ]);
    expect(korea.coOrganiserIds).toHaveLength(3);

    const chamber = await t
      .http()
      .get('/api/v1/partner-organisations')
      .query({ q: 'atameken' })
      .set(auth)
      .expect(200);
    expect(chamber.body.items).toEqual([
      expect.objectContaining({ shortName: 'ATAMEKEN', kind: 'chamber', country: 'KZ' }),
    ]);
    const lead = await t
      .http()
      .get(`/api/v1/contacts/${kazakhstan.leadContactId}`)
      .set(auth)
      .expect(200);
    expect(lead.body).toMatchObject({ lastName: 'Brandt' });

    // The docs page a new user browses from.
    await t.http().get('/api/docs').expect(200);
  });
});
