import { bearer, login } from './support/identity.js';
import { runCli } from './support/cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** `npm run cli -- seed-demo` on a fresh database, run twice, then used through the API. */
describe('the demo data', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The receiver of the webhook test below (nothing listens there; its deliveries wait in the log).
    t = await startTestApp({ config: { WEBHOOK_ALLOWED_HOSTS: ['localhost'] } });
  });

  afterAll(() => t.close());

  async function seed(): Promise<{ password: string; stdout: string }> {
    const cli = runCli(t, ['seed-demo']);
    expect((await cli.exited).code).toBe(0);
    const password = /password: (\S+)/.exec(cli.stdout())?.[1];
    expect(password).toBeDefined();
    expect(cli.stdout()).toContain('email:    demo.owner@example.org');
    return { password: password ?? '', stdout: cli.stdout() };
  }

  const count = async (table: string) =>
    (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;

  const counts = async () => ({
    organisations: await count('partner_organisations'),
    contacts: await count('contacts'),
    trips: await count('trips'),
    stations: await count('stations'),
    invitations: await count('invitations'),
    participants: await count('participants'),
    travelDocuments: await count('travel_documents'),
    meetings: await count('meetings'),
    agreements: await count('agreements'),
    followUps: await count('follow_ups'),
    messages: await count('notifications'),
  });

  // The first run enters 2017's 1,328 registrations one by one through the services: ~30 s.
  it('gives an agency a new user can sign into and browse; running it again adds nothing', async () => {
    const first = await seed();
    const seeded = await counts();
    // Four trips of the recent years, and the 52 trips and events of 2017 with the 1,036
    // people they reached (each a contact) and their 1,328 registrations.
    expect(seeded).toMatchObject({
      organisations: 25,
      contacts: 30 + 1036,
      trips: 4 + 52,
      stations: 12 + 52,
      invitations: 9,
      participants: 8 + 1328,
      travelDocuments: 5,
      meetings: 8 + 44,
      agreements: 15,
      followUps: 2,
    });
    expect(first.stdout).toMatch(
      /Open trip: "Markterkundungsreise Kasachstan und Usbekistan \d{4}", .*\(registration_open\)/,
    );
    expect(first.stdout).toContain(
      'This run added 25 partner organisations, 30 contacts, 56 trips, 9 invitations, 1336 participants',
    );
    expect(first.stdout).toContain('52 meetings, 15 agreements, 2 follow-ups.');
    expect(first.stdout).toContain(
      '  Agreements: 15 (GET /api/v1/agreements), 1 open follow-ups (GET /api/v1/follow-ups?state=open).',
    );

    const again = await seed();
    expect(await counts()).toEqual(seeded);
    expect(again.stdout).toContain('This run added nothing');

    const session = await login(t, 'demo.owner@example.org', again.password);
    const auth = bearer(session.accessToken);
    const me = await t.http().get('/api/v1/me').set(auth).expect(200);
    expect(me.body).toMatchObject({ role: 'owner', tenant: { name: 'Thüringen International' } });

    interface TripItem {
      id: string;
      title: string;
      status: string;
      startDate: string;
      leadContactId: string;
      coOrganiserIds: string[];
    }
    const trips = (await t.http().get('/api/v1/trips?limit=100').set(auth).expect(200)).body as {
      items: TripItem[];
    };
    trips.items = trips.items.filter((trip) => trip.startDate > '2018');
    expect(trips.items.map((trip) => trip.title)).toEqual([
      expect.stringMatching(/^Markterkundungsreise Kasachstan und Usbekistan \d{4}$/),
      'Geschäftsreise Südkorea',
      'Delegationsreise Zentralasien',
      'Markterkundungsreise Kasachstan und Usbekistan',
    ]);
    const [, korea, , kazakhstan] = trips.items as [TripItem, TripItem, TripItem, TripItem];
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
  }, 120_000);

  it('has a trip open for registration with its delegation in every state', async () => {
    const { password } = await seed();
    const auth = bearer((await login(t, 'demo.owner@example.org', password)).accessToken);
    const api = (path: string) => t.http().get(`/api/v1${path}`).set(auth).expect(200);

    const open = (await api('/trips?status=registration_open')).body as {
      items: {
        id: string;
        startDate: string;
        registrationClosesAt: string;
        seatsLeft: number;
        participantCounts: Record<string, number>;
        readiness: { passportExpiryWarnings: number };
      }[];
    };
    expect(open.items).toHaveLength(1);
    const [trip] = open.items;
    const today = new Date().toISOString().slice(0, 10);
    expect(trip.startDate > today).toBe(true);
    expect(new Date(trip.registrationClosesAt).getTime()).toBeGreaterThan(Date.now());
    const stations = (await api(`/trips/${trip.id}/stations`)).body as {
      items: { city: string; country: string }[];
    };
    expect(stations.items.map((station) => `${station.city} ${station.country}`)).toEqual([
      'Astana KZ',
      'Almaty KZ',
      'Tashkent UZ',
      'Samarkand UZ',
    ]);
    // Full, with a waiting list and a registration still under review.
    expect(trip.seatsLeft).toBe(0);
    expect(trip.participantCounts).toEqual({ confirmed: 5, waitlisted: 2, applied: 1 });
    expect(trip.readiness.passportExpiryWarnings).toBe(1);

    interface ParticipantItem {
      id: string;
      status: string;
      role: string;
      category: string;
      organisationId: string | null;
      visaRequired: boolean;
      waitlistPosition: number | null;
    }
    const participants = (
      (await api(`/trips/${trip.id}/participants?limit=100`)).body as { items: ParticipantItem[] }
    ).items;
    expect(new Set(participants.map((p) => p.role))).toEqual(
      new Set(['delegation_lead', 'staff', 'member']),
    );
    expect(new Set(participants.map((p) => p.category)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(participants.map((p) => p.organisationId)).size).toBeGreaterThanOrEqual(5);
    expect(
      participants.filter((p) => p.status === 'waitlisted').map((p) => p.waitlistPosition),
    ).toEqual([1, 2]);

    const invitations = (
      (await api(`/trips/${trip.id}/invitations?limit=100`)).body as {
        items: { status: string }[];
      }
    ).items;
    expect(invitations.map((i) => i.status).sort()).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'declined',
      'pending',
      'revoked',
    ]);

    // Every confirmed participant who needs a visa has a passport on file, sealed like real data.
    const travellers = participants.filter((p) => p.status === 'confirmed' && p.visaRequired);
    expect(travellers).toHaveLength(5);
    const documents = await Promise.all(
      travellers.map(
        async (p) =>
          (await api(`/trips/${trip.id}/participants/${p.id}/travel-document`)).body as {
            passportNumber: string;
            expiryWarning: boolean;
          },
      ),
    );
    expect(documents.filter((d) => d.expiryWarning)).toHaveLength(1);
    expect(documents.every((d) => /^[A-Z0-9]{9}$/.test(d.passportNumber))).toBe(true);
    const sealed = await t.dataSource.query<{ sealed: Buffer }[]>(
      'SELECT passport_number_sealed AS sealed FROM travel_documents',
    );
    for (const { sealed: bytes } of sealed) {
      expect(documents.some((d) => bytes.includes(Buffer.from(d.passportNumber)))).toBe(false);
    }

    const csv = await t
      .http()
      .get(`/api/v1/trips/${trip.id}/participants/export`)
      .query({ format: 'csv' })
      .set(auth)
      .buffer(true)
      .expect(200);
    // A header and one line per participant (no field of the demo spans lines).
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + 8);
    for (const name of ['Brandt', 'Krüger', 'Hoffmann', 'Schröder', 'Seidel', 'Neumann']) {
      expect(lines.filter((line) => line.includes(name))).toHaveLength(1);
    }

    // What the invited and registered are told is in the outbox, waiting for the worker, and
    // the delegation's departure, meeting and missing-passport reminders are planned (the trip
    // is ahead, and some who need a visa have no passport on file yet).
    const messages = await t.dataSource.query<{ kind: string }[]>(
      `SELECT DISTINCT kind FROM notifications WHERE trip_id = $1 AND status = 'scheduled'`,
      [trip.id],
    );
    expect(messages.map((m) => m.kind).sort()).toEqual([
      'departure_reminder',
      'invitation',
      'meeting_reminder',
      'registration_confirmed',
      'registration_received',
      'registration_waitlisted',
      'travel_document_reminder',
    ]);

    // A programme in each city's local time: talks, the chamber, a reception, B2B meetings.
    const programme = (await api(`/trips/${trip.id}/programme`)).body as {
      days: {
        date: string;
        station: { city: string; timeZone: string };
        meetings: {
          title: string;
          kind: string;
          local: { startsAt: string };
          attendeeIds: string[];
        }[];
      }[];
    };
    const day = (n: number) =>
      new Date(Date.parse(`${trip.startDate}T00:00:00Z`) + n * 86_400_000)
        .toISOString()
        .slice(0, 10);
    expect(
      programme.days.map(({ date, station, meetings }) => [
        date,
        station.city,
        station.timeZone,
        meetings.map((meeting) => [meeting.kind, meeting.local.startsAt.slice(11, 16)]),
      ]),
    ).toEqual([
      [day(0), 'Astana', 'Asia/Almaty', [['reception', '18:30']]],
      [
        day(1),
        'Astana',
        'Asia/Almaty',
        [
          ['institution_visit', '09:30'],
          ['b2b', '11:30'],
        ],
      ],
      [
        day(2),
        'Almaty',
        'Asia/Almaty',
        [
          ['site_visit', '10:00'],
          ['b2b', '14:00'],
        ],
      ],
      [day(3), 'Almaty', 'Asia/Almaty', [['government_talk', '09:00']]],
      [day(4), 'Tashkent', 'Asia/Tashkent', [['government_talk', '10:00']]],
      [day(5), 'Tashkent', 'Asia/Tashkent', [['institution_visit', '10:00']]],
    ]);
    const chamberTalk = programme.days[1].meetings[0];
    expect(chamberTalk.title).toContain('ATAMEKEN');
    expect(chamberTalk.attendeeIds).toHaveLength(4);
    const calendar = await t
      .http()
      .get(`/api/v1/trips/${trip.id}/calendar.ics`)
      .set(auth)
      .expect(200);
    expect(calendar.text.match(/BEGIN:VEVENT/g)).toHaveLength(8);
  });
  it('has the agreements of its trips, each where its lifecycle took it, with what is to be done', async () => {
    const { password } = await seed();
    const session = await login(t, 'demo.owner@example.org', password);
    const auth = bearer(session.accessToken);
    const api = (path: string) => t.http().get(`/api/v1${path}`).set(auth).expect(200);
    const me = (await api('/me')).body as { id: string };

    interface AgreementItem {
      id: string;
      title: string;
      kind: string;
      category: string;
      status: string;
      statusSince: string;
      parties: { organisationId: string; signatoryContactIds: string[] }[];
      agencyIsParty: boolean;
      tripId: string | null;
      meetingId: string | null;
      signedOn: string | null;
      signedIn: { city: string; country: string } | null;
      validUntil: string | null;
      tags: string[];
    }
    // The ten more of the 2023 delegation are the reports' (below); these are the storied ones.
    const agreements = (
      (await api('/agreements?limit=100')).body as { items: AgreementItem[] }
    ).items.filter((agreement) => !agreement.tags.includes('Central Asia 2023'));
    expect(agreements.map((a) => [a.kind, a.category, a.status]).sort()).toEqual(
      [
        ['cooperation_agreement', 'academic', 'expired'],
        ['cooperation_agreement', 'academic', 'in_force'],
        ['letter_of_intent', 'business', 'negotiating'],
        ['mou', 'business', 'in_force'],
        ['mou', 'government', 'draft'],
      ].sort(),
    );
    // Signed ones newest first by the day they were signed, after those not signed yet.
    expect(agreements.map((a) => a.signedOn)).toEqual([
      null,
      null,
      '2023-04-27',
      '2022-09-29',
      '2022-09-26',
    ]);

    const organisation = async (q: string) =>
      (
        (await api(`/partner-organisations?q=${encodeURIComponent(q)}`)).body as {
          items: { id: string }[];
        }
      ).items[0].id;
    const contact = async (q: string) =>
      ((await api(`/contacts?q=${encodeURIComponent(q)}`)).body as { items: { id: string }[] })
        .items[0].id;
    const atameken = await organisation('atameken');
    const trips = (await api('/trips')).body as { items: { id: string; title: string }[] };
    const tripId = (title: string) => trips.items.find((trip) => trip.title === title)!.id;
    const centralAsia2022 = tripId('Markterkundungsreise Kasachstan und Usbekistan');

    // The MoU with ATAMEKEN, signed in Astana during the 2022 trip, in force.
    const mou = agreements.find((a) => a.parties.some((p) => p.organisationId === atameken))!;
    expect(mou).toMatchObject({
      kind: 'mou',
      status: 'in_force',
      statusSince: '2022-09-26',
      signedOn: '2022-09-26',
      signedIn: { city: 'Astana', country: 'KZ' },
      agencyIsParty: true,
      tripId: centralAsia2022,
      parties: [{ organisationId: atameken, signatoryContactIds: [await contact('sadykova')] }],
    });
    expect(mou.signedOn! >= '2022-09-25' && mou.signedOn! <= '2022-10-02').toBe(true);
    expect((await api(`/agreements/${mou.id}`)).body).toMatchObject({
      id: mou.id,
      status: 'in_force',
      allowedTransitions: ['expired', 'terminated'],
    });
    expect((await api(`/trips/${centralAsia2022}`)).body).toMatchObject({
      agreementCounts: { in_force: 1, expired: 1 },
    });
    expect((await api(`/partner-organisations/${atameken}`)).body).toMatchObject({
      agreementCounts: { in_force: 1 },
    });

    // The textile institutes: the 2022 agreement ran out, the 2023 one is in force.
    const academic = agreements.filter((a) => a.category === 'academic');
    expect(academic.map((a) => [a.status, a.signedIn?.city, a.validUntil, a.statusSince])).toEqual([
      ['in_force', 'Tashkent', null, '2023-04-27'],
      ['expired', 'Tashkent', '2024-09-30', '2024-10-01'],
    ]);
    expect(academic[0].tripId).toBe(tripId('Delegationsreise Zentralasien'));
    const institutes = [await organisation('tashkent textile'), await organisation('TITK')];
    for (const agreement of academic) {
      expect(agreement.parties.map((p) => p.organisationId)).toEqual(institutes);
      expect(agreement.parties.every((p) => p.signatoryContactIds.length === 1)).toBe(true);
    }

    // Under way for the open trip: the letter of intent and the draft for the ministry talks.
    const open = (
      (await api('/trips?status=registration_open')).body as { items: { id: string }[] }
    ).items[0];
    const letter = agreements.find((a) => a.kind === 'letter_of_intent')!;
    expect(letter).toMatchObject({ status: 'negotiating', tripId: open.id, signedOn: null });
    const draft = agreements.find((a) => a.status === 'draft')!;
    const programme = (await api(`/trips/${open.id}/programme`)).body as {
      days: { meetings: { id: string; title: string }[] }[];
    };
    const ministry = programme.days
      .flatMap((day) => day.meetings)
      .find((meeting) => meeting.title === 'Ministry of Investments and Foreign Trade')!;
    expect(draft).toMatchObject({
      category: 'government',
      tripId: open.id,
      meetingId: ministry.id,
      parties: [{ organisationId: await organisation('Ministry of Investments') }],
    });
    expect((await api(`/trips/${open.id}`)).body).toMatchObject({
      agreementCounts: { negotiating: 1, draft: 1 },
    });

    // What is to be done: one follow-up open (the demo owner's, due in a few weeks), one done.
    interface FollowUpItem {
      agreementId: string;
      title: string;
      dueOn: string;
      ownerUserId: string;
      done: boolean;
      overdue: boolean;
    }
    const openFollowUps = (await api('/follow-ups?state=open')).body as { items: FollowUpItem[] };
    expect(openFollowUps.items).toEqual([
      expect.objectContaining({
        agreementId: letter.id,
        ownerUserId: me.id,
        done: false,
        overdue: false,
      }),
    ]);
    const dueInDays =
      (Date.parse(openFollowUps.items[0].dueOn) -
        Date.parse(new Date().toISOString().slice(0, 10))) /
      86_400_000;
    expect(dueInDays).toBeGreaterThanOrEqual(14);
    expect(dueInDays).toBeLessThanOrEqual(35);
    const done = (await api('/follow-ups?state=done')).body as { items: FollowUpItem[] };
    expect(done.items).toEqual([
      expect.objectContaining({ agreementId: letter.id, ownerUserId: me.id, done: true }),
    ]);

    // Recorded as staff record them: created, then each step of the lifecycle, by the demo owner.
    const trail = (await api(`/audit-events?entityId=${mou.id}`)).body as {
      items: { action: string; actorId: string; changes: { status?: { after: string } } | null }[];
    };
    expect(trail.items.every((event) => event.actorId === me.id)).toBe(true);
    expect(
      trail.items.map((event) => `${event.action} ${event.changes?.status?.after}`).sort(),
    ).toEqual([
      'agreement.created draft',
      'agreement.status_changed in_force',
      'agreement.status_changed negotiating',
      'agreement.status_changed signed',
    ]);
  });

  it('reproduces the agency’s published figures in its reports: the year 2017 and the 2023 delegation', async () => {
    const { password } = await seed();
    const auth = bearer((await login(t, 'demo.owner@example.org', password)).accessToken);
    const api = (path: string) => t.http().get(`/api/v1${path}`).set(auth).expect(200);
    type Breakdown = { key: string; count: number }[];
    const byKey = (breakdown: Breakdown) =>
      Object.fromEntries(breakdown.map((figure) => [figure.key, figure.count]));

    // "5 delegation and market-exploration trips, 20 foreign delegations received, 6 joint
    // stands at international trade fairs, more than 1,000 people reached."
    const year = (await api('/reports/annual?year=2017')).body as {
      current: {
        trips: { byKind: Breakdown };
        participants: { count: number };
        peopleReached: { count: number };
        countriesVisited: { countries: string[] };
      };
      previous: { trips: { total: { count: number } } };
    };
    const kinds = byKey(year.current.trips.byKind);
    expect(kinds.delegation + kinds.market_exploration).toBe(5);
    expect(kinds.incoming_delegation).toBe(20);
    expect(kinds.trade_fair).toBe(6);
    expect(year.current.peopleReached.count).toBeGreaterThan(1000);
    // Many came to several events: each is one person reached.
    expect(year.current.participants.count).toBeGreaterThan(year.current.peopleReached.count);
    expect(year.current.countriesVisited.countries).toEqual(
      expect.arrayContaining(['US', 'JP', 'AE', 'CN', 'VN']),
    );
    expect(year.previous.trips.total.count).toBe(0);

    // "More than 40 official appointments, eleven cooperation agreements (6 academic, 5 business)."
    const trips = (await api('/trips?limit=100')).body as {
      items: { id: string; title: string }[];
    };
    const centralAsia = trips.items.find((trip) => trip.title === 'Delegationsreise Zentralasien')!;
    const report = (await api(`/trips/${centralAsia.id}/report`)).body as {
      meetings: { officialAppointments: { count: number; list: string } };
      agreements: { signed: { total: { count: number; list: string }; byCategory: Breakdown } };
    };
    expect(report.meetings.officialAppointments.count).toBeGreaterThan(40);
    expect(report.agreements.signed.total.count).toBe(11);
    expect(byKey(report.agreements.signed.byCategory)).toEqual({ academic: 6, business: 5 });
    // Each figure is rows an integrator can list.
    const official = (
      await t
        .http()
        .get(report.meetings.officialAppointments.list)
        .query({ limit: 100 })
        .set(auth)
        .expect(200)
    ).body as { items: { kind: string; status: string }[] };
    expect(official.items).toHaveLength(report.meetings.officialAppointments.count);
    expect(
      official.items.every((meeting) => meeting.status === 'held' && meeting.kind !== 'travel'),
    ).toBe(true);
    const signed = (
      await t
        .http()
        .get(report.agreements.signed.total.list)
        .query({ limit: 100 })
        .set(auth)
        .expect(200)
    ).body as { items: unknown[] };
    expect(signed.items).toHaveLength(11);
  });

  it('what the seed adds reaches the agency’s webhooks, as changes through the API do', async () => {
    const { password } = await seed();
    const auth = bearer((await login(t, 'demo.owner@example.org', password)).accessToken);
    const endpoint = (
      await t
        .http()
        .post('/api/v1/webhook-endpoints')
        .set(auth)
        .send({ url: 'http://localhost:9/hooks', eventTypes: ['meeting.created'] })
        .expect(201)
    ).body as { id: string };
    const [open] = (
      (await t.http().get('/api/v1/trips?status=registration_open').set(auth).expect(200)).body as {
        items: { id: string }[];
      }
    ).items;
    const meetings = (
      (await t.http().get(`/api/v1/trips/${open.id}/meetings?limit=100`).set(auth).expect(200))
        .body as { items: { id: string; title: string; status: string }[] }
    ).items;
    const removed = meetings.find((meeting) => meeting.status === 'planned')!;
    await t.http().delete(`/api/v1/trips/${open.id}/meetings/${removed.id}`).set(auth).expect(204);

    // Seeding again puts the meeting back: a meeting.created event, like one staff would cause.
    await seed();
    const again = (
      (await t.http().get(`/api/v1/trips/${open.id}/meetings?limit=100`).set(auth).expect(200))
        .body as { items: { id: string; title: string }[] }
    ).items.find((meeting) => meeting.title === removed.title)!;
    expect(again.id).not.toBe(removed.id);
    const deliveries = (
      (
        await t
          .http()
          .get(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries`)
          .set(auth)
          .expect(200)
      ).body as {
        items: { eventType: string; payload: { data: { resource: { id: string } } } }[];
      }
    ).items;
    expect(
      deliveries.map((delivery) => [delivery.eventType, delivery.payload.data.resource.id]),
    ).toEqual([['meeting.created', again.id]]);
  });
});
