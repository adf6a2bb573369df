import { PublicTokens } from '../src/common/links/public-tokens.js';
import { expectProblem } from './support/api.js';
import {
  addParticipant,
  addStation,
  createContact,
  createTrip,
  moveTrip,
  ROUTE_TO,
  tripBody,
  type TripStatus,
  createMeeting,
  createOrganisation,
  moveMeeting,
  tag,
  type MeetingBody,
  type ParticipantBody,
  type StationBody,
} from './support/factories.js';
import { invite } from './support/delivery.js';
import { addApiKey, addStaff, bearer, signUpAgency, type Agency } from './support/identity.js';
import type { Scope } from '../src/modules/identity/roles.js';
import { inDays, openTrip } from './support/messaging.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Count {
  count: number;
  list: string | null;
}
type Breakdown = (Count & { key: string | null })[];

/**
 * Follows every `list` link of a report and checks that it shows as many
 * rows as its figure counts; returns how many links it followed.
 */
async function expectListsShowTheirRows(
  t: TestApp,
  auth: Record<string, string>,
  report: unknown,
): Promise<number> {
  const figures: Count[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.count === 'number' && 'list' in record)
        figures.push(record as unknown as Count);
      Object.values(record).forEach(collect);
    }
  };
  collect(report);
  const linked = figures.filter((figure) => figure.list !== null);
  for (const figure of linked) {
    const page = await t.http().get(figure.list!).query({ limit: 200 }).set(auth).expect(200);
    expect([figure.list, (page.body as { items: unknown[] }).items.length]).toEqual([
      figure.list,
      figure.count,
    ]);
  }
  return linked.length;
}

/**
 * The trip report (issue 19): a small known world, and every figure of the
 * report asserted exactly, each with the list that shows its rows; the list
 * links are followed to check they show the same number of rows.
 */
describe('trip report', () => {
  let t: TestApp;
  let desk: Agency;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    auth = bearer(desk.owner.accessToken);
  });
  afterAll(() => t.close());

  const api = (path: string) => t.http().get(path).set(auth);

  it('counts participants, organisations, official appointments, counterparts, agreements and invitations exactly', async () => {
    const trip = await openTrip(t, desk);
    const stations = (await api(`/api/v1/trips/${trip.id}/stations`).expect(200)).body as {
      items: StationBody[];
    };
    const [almaty, tashkent] = stations.items;
    const organisation = (name: string, kind: string, country: string) =>
      createOrganisation(t, desk, { name: `${name} ${tag()}`, kind, country });
    const jenoptik = await organisation('Jenoptik', 'company', 'DE');
    const kazUni = await organisation('Al-Farabi-Universität', 'university', 'KZ');
    const ministry = await organisation('Handelsministerium', 'ministry', 'KZ');
    const chamber = await organisation('Industrie- und Handelskammer', 'chamber', 'UZ');
    const person = (lastName: string, partnerOrganisationId?: string) =>
      createContact(t, desk, {
        lastName,
        email: `${lastName.toLowerCase()}.${tag()}@example.org`,
        ...(partnerOrganisationId ? { partnerOrganisationId } : {}),
      });
    const [anna, bernd, chris, dana, eve, frank] = await Promise.all([
      person('Anna', jenoptik.id),
      person('Bernd', jenoptik.id),
      person('Chris'),
      person('Dana', kazUni.id),
      person('Eve'),
      person('Frank'),
    ]);

    // Invited: Anna (then added by staff: accepted), Eve (declines), Frank (no answer).
    expect(await invite(t, desk, trip.id, [anna.id, eve.id, frank.id])).toBe(3);
    const join = (contactId: string, fields: object = {}) =>
      addParticipant(t, desk, trip.id, { contactId, ...fields });
    const participants: ParticipantBody[] = [
      await join(anna.id),
      await join(bernd.id),
      await join(chris.id, { category: 'science', organisationId: null }),
      await join(dana.id, { role: 'delegation_lead', category: 'science' }),
    ];
    await t
      .http()
      .post(`/api/v1/trips/${trip.id}/participants/${participants[2].id}/transitions`)
      .set(auth)
      .send({ to: 'cancelled' })
      .expect(200);
    const [eveInvitation] = await t.dataSource.query<{ id: string; token_nonce: string }[]>(
      `SELECT id, token_nonce FROM invitations WHERE trip_id = $1 AND contact_id = $2`,
      [trip.id, eve.id],
    );
    const eveToken = t.app
      .get(PublicTokens)
      .sign('invitation', eveInvitation.id, eveInvitation.token_nonce);
    await t.http().post(`/api/v1/public/invitations/${eveToken}/decline`).expect(200);

    // The programme: two official appointments (held), one merely confirmed, the journey, and
    // a cancelled seminar.
    const day = inDays(31);
    const meeting = async (
      station: StationBody,
      hour: number,
      kind: string,
      with_: string | null,
      steps: ('confirmed' | 'held' | 'cancelled')[],
    ): Promise<MeetingBody> => {
      const created = await createMeeting(t, desk, trip.id, station.id, {
        title: `${kind} ${tag()}`,
        kind,
        startsAt: `${station.city === 'Almaty' ? day : inDays(34)}T${String(hour).padStart(2, '0')}:00`,
        endsAt: `${station.city === 'Almaty' ? day : inDays(34)}T${String(hour).padStart(2, '0')}:45`,
        ...(with_ ? { counterparts: { organisationIds: [with_] } } : {}),
      });
      return moveMeeting(t, desk, created, steps);
    };
    await meeting(almaty, 9, 'government_talk', ministry.id, ['confirmed', 'held']);
    await meeting(tashkent, 10, 'b2b', chamber.id, ['confirmed', 'held']);
    await meeting(almaty, 11, 'company_visit', ministry.id, ['confirmed']);
    await meeting(almaty, 7, 'travel', null, ['confirmed', 'held']);
    await meeting(tashkent, 14, 'seminar', kazUni.id, ['cancelled']);

    // Agreements of the trip: two signed (academic MoU, business cooperation), one draft.
    const signatory = await person('Rektor', kazUni.id);
    const chairman = await person('Vorsitzender', chamber.id);
    const agreement = async (fields: object, steps: string[]) => {
      const created = await t
        .http()
        .post('/api/v1/agreements')
        .set(auth)
        .send({ title: `Vereinbarung ${tag()}`, tripId: trip.id, ...fields })
        .expect(201);
      for (const to of steps) {
        await t
          .http()
          .post(`/api/v1/agreements/${(created.body as { id: string }).id}/transitions`)
          .set(auth)
          .send({ to })
          .expect(200);
      }
      return created.body as { id: string };
    };
    const today = new Date().toISOString().slice(0, 10);
    const mou = await agreement(
      {
        kind: 'mou',
        category: 'academic',
        signedOn: today,
        parties: [{ organisationId: kazUni.id, signatoryContactIds: [signatory.id] }],
      },
      ['negotiating', 'signed'],
    );
    await agreement(
      {
        kind: 'cooperation_agreement',
        category: 'business',
        signedOn: today,
        parties: [{ organisationId: chamber.id, signatoryContactIds: [chairman.id] }],
      },
      ['negotiating', 'signed'],
    );
    await agreement(
      { kind: 'letter_of_intent', category: 'business', parties: [{ organisationId: chamber.id }] },
      [],
    );
    const followUp = (title: string) =>
      t
        .http()
        .post(`/api/v1/agreements/${mou.id}/follow-ups`)
        .set(auth)
        .send({ title, dueOn: inDays(60), ownerUserId: desk.owner.id })
        .expect(201);
    await followUp('Curriculum schicken');
    const done = await followUp('Protokoll');
    await t
      .http()
      .patch(`/api/v1/agreements/${mou.id}/follow-ups/${(done.body as { id: string }).id}`)
      .set(auth)
      .send({ done: true })
      .expect(200);

    const response = await api(`/api/v1/trips/${trip.id}/report`).expect(200);
    const report = response.body as Record<string, Record<string, unknown>>;
    const participantsPath = `/api/v1/trips/${trip.id}/participants`;
    const agreementsPath = `/api/v1/agreements?tripId=${trip.id}`;
    const invitationsPath = `/api/v1/trips/${trip.id}/invitations`;
    const counts = (breakdown: unknown): Record<string, number> =>
      Object.fromEntries(
        (breakdown as Breakdown).map((item): [string, number] => [String(item.key), item.count]),
      );

    expect(report.trip).toMatchObject({ id: trip.id, title: trip.title });
    expect(report.participants.total).toEqual({ count: 4, list: participantsPath });
    expect(report.participants.byStatus).toEqual([
      { key: 'confirmed', count: 3, list: `${participantsPath}?status=confirmed` },
      { key: 'cancelled', count: 1, list: `${participantsPath}?status=cancelled` },
    ]);
    expect(counts(report.participants.byRole)).toEqual({ member: 3, delegation_lead: 1 });
    expect(counts(report.participants.byCategory)).toEqual({ business: 2, science: 2 });
    // Taking part: Anna and Bernd (Jenoptik, DE), Dana (the university, KZ); Chris cancelled.
    expect(counts(report.participants.byOrganisationKind)).toEqual({ company: 2, university: 1 });
    expect(counts(report.participants.byOrganisationCountry)).toEqual({ DE: 2, KZ: 1 });
    expect(report.organisationsRepresented).toEqual({
      count: 2,
      list: `/api/v1/partner-organisations?representedOnTrip=${trip.id}`,
    });
    expect(report.stations).toEqual({ count: 2, list: `/api/v1/trips/${trip.id}/stations` });

    const meetings = report.meetings;
    expect(meetings.total).toMatchObject({ count: 4 });
    expect(meetings.officialAppointments).toMatchObject({ count: 2 });
    expect(counts(meetings.byKind)).toEqual({
      government_talk: 1,
      b2b: 1,
      company_visit: 1,
      travel: 1,
    });
    expect(counts(meetings.byStatus)).toEqual({ held: 3, confirmed: 1, cancelled: 1 });
    expect(
      (meetings.byStation as (Count & { city: string; officialAppointments: Count })[]).map(
        (station) => [station.city, station.count, station.officialAppointments.count],
      ),
    ).toEqual([
      ['Almaty', 3, 1],
      ['Taschkent', 1, 1],
    ]);
    expect(report.counterpartsMet.total).toMatchObject({ count: 2 });
    expect(counts(report.counterpartsMet.byCountry)).toEqual({ KZ: 1, UZ: 1 });
    expect(counts(report.counterpartsMet.byKind)).toEqual({ ministry: 1, chamber: 1 });

    expect(report.agreements.total).toEqual({ count: 3, list: agreementsPath });
    expect(report.agreements.byStatus).toEqual([
      { key: 'signed', count: 2, list: `${agreementsPath}&status=signed` },
      { key: 'draft', count: 1, list: `${agreementsPath}&status=draft` },
    ]);
    expect(counts(report.agreements.byCategory)).toEqual({ business: 2, academic: 1 });
    expect(counts(report.agreements.byKind)).toEqual({
      mou: 1,
      cooperation_agreement: 1,
      letter_of_intent: 1,
    });
    const signed = report.agreements.signed as Record<string, unknown>;
    expect(signed.total).toMatchObject({ count: 2 });
    expect(counts(signed.byCategory)).toEqual({ academic: 1, business: 1 });
    expect(report.openFollowUps).toMatchObject({ count: 1 });
    expect(report.invitations).toEqual({
      sent: { count: 3, list: invitationsPath },
      accepted: { count: 1, list: `${invitationsPath}?status=accepted` },
      declined: { count: 1, list: `${invitationsPath}?status=declined` },
    });
    // No worker runs here: nothing has gone out yet.
    expect(report.messages).toMatchObject({ sent: { count: 0 }, failed: { count: 0 } });

    // Every list link shows as many rows as its figure says.
    expect(await expectListsShowTheirRows(t, auth, report)).toBeGreaterThan(25);
  });

  it('is 404 for another agency’s trip, readable by viewers, and needs reports:read for API keys', async () => {
    const trip = await openTrip(t, desk);
    const rival = await signUpAgency(t, { tenantName: `Rival ${tag()}` });
    expectProblem(
      await t.http().get(`/api/v1/trips/${trip.id}/report`).set(bearer(rival.owner.accessToken)),
      404,
      'not_found',
    );
    const key = async (scopes: Scope[]) => (await addApiKey(t, desk, scopes)).key;
    const viewer = await addStaff(t, desk, 'viewer');
    await t
      .http()
      .get(`/api/v1/trips/${trip.id}/report`)
      .set(bearer(viewer.accessToken))
      .expect(200);
    expectProblem(
      await t
        .http()
        .get(`/api/v1/trips/${trip.id}/report`)
        .set('X-API-Key', await key(['trips:read'])),
      403,
      'forbidden',
    );
    await t
      .http()
      .get(`/api/v1/trips/${trip.id}/report`)
      .set('X-API-Key', await key(['reports:read']))
      .expect(200);
  });

  describe('annual report', () => {
    /** A trip of `kind` from `start` to `end` with one station, taken to `status`. */
    async function pastTrip(
      agency: Agency,
      kind: string,
      [start, end]: [string, string],
      station: { city: string; country: string; timezone: string },
      status: TripStatus = 'planned',
    ) {
      const trip = await createTrip(
        t,
        agency,
        tripBody({ title: `${kind} ${tag()}`, kind, startDate: start, endDate: end }),
      );
      const added = await addStation(t, agency, trip.id, {
        ...station,
        arrivalDate: start,
        departureDate: end,
      });
      await moveTrip(t, agency, trip, ROUTE_TO[status]);
      return { trip, station: added };
    }

    it('counts the year’s trips, people once, meetings by the agency’s calendar, signatures, and the year before', async () => {
      const agency = await signUpAgency(t, { tenantName: `Jahresbilanz ${tag()}` });
      const as = bearer(agency.owner.accessToken);
      const ALMATY = { city: 'Almaty', country: 'KZ', timezone: 'Asia/Almaty' };
      const TASHKENT = { city: 'Taschkent', country: 'UZ', timezone: 'Asia/Tashkent' };
      const ERFURT = { city: 'Erfurt', country: 'DE', timezone: 'Europe/Berlin' };
      const SEOUL = { city: 'Seoul', country: 'KR', timezone: 'Asia/Seoul' };
      const a = await pastTrip(agency, 'delegation', ['2024-03-01', '2024-03-10'], ALMATY);
      const b = await pastTrip(
        agency,
        'market_exploration',
        ['2024-06-01', '2024-06-05'],
        TASHKENT,
      );
      await pastTrip(agency, 'incoming_delegation', ['2024-09-01', '2024-09-03'], ERFURT);
      const d = await pastTrip(agency, 'delegation', ['2023-05-01', '2023-05-08'], SEOUL);
      // Over New Year, starting in 2023: a trip of 2023 whose meetings fall in both years.
      const h = await pastTrip(agency, 'delegation', ['2023-12-28', '2024-01-03'], ERFURT);
      await pastTrip(agency, 'trade_fair', ['2024-11-01', '2024-11-04'], ERFURT, 'cancelled');
      await pastTrip(agency, 'delegation', ['2024-02-01', '2024-02-04'], ALMATY, 'draft');

      const jenoptik = await createOrganisation(t, agency, {
        name: `Jenoptik ${tag()}`,
        kind: 'company',
        country: 'DE',
      });
      const ministry = await createOrganisation(t, agency, {
        name: `Ministerium ${tag()}`,
        kind: 'ministry',
        country: 'KZ',
      });
      const contact = (lastName: string, partnerOrganisationId?: string) =>
        createContact(t, agency, {
          lastName,
          email: `${lastName.toLowerCase()}.${tag()}@example.org`,
          ...(partnerOrganisationId ? { partnerOrganisationId } : {}),
        });
      const p1 = await contact('Eins', jenoptik.id);
      const p2 = await contact('Zwei');
      const p4 = await contact('Vier');
      // P1 on two trips of 2024: two participations, one person.
      await addParticipant(t, agency, a.trip.id, { contactId: p1.id });
      await addParticipant(t, agency, b.trip.id, { contactId: p1.id });
      const cancelled = await addParticipant(t, agency, a.trip.id, { contactId: p2.id });
      await t
        .http()
        .post(`/api/v1/trips/${a.trip.id}/participants/${cancelled.id}/transitions`)
        .set(as)
        .send({ to: 'cancelled' })
        .expect(200);
      await addParticipant(t, agency, d.trip.id, { contactId: p4.id });

      const meeting = async (
        tripId: string,
        stationId: string,
        startsAt: string,
        steps: ('confirmed' | 'held' | 'cancelled')[],
        fields: object = {},
      ) => {
        const created = await createMeeting(t, agency, tripId, stationId, {
          title: `Termin ${tag()}`,
          kind: 'government_talk',
          startsAt,
          endsAt: startsAt.replace(
            /T(\d\d):(\d\d)/,
            (_, hh: string, mm: string) => `T${hh}:${mm === '00' ? '45' : '59'}`,
          ),
          ...fields,
        });
        return moveMeeting(t, agency, created, steps);
      };
      await meeting(a.trip.id, a.station.id, '2024-03-02T10:00', ['confirmed', 'held'], {
        counterparts: { organisationIds: [ministry.id] },
      });
      await meeting(a.trip.id, a.station.id, '2024-03-03T10:00', ['cancelled']);
      await meeting(a.trip.id, a.station.id, '2024-03-04T10:00', ['confirmed', 'held'], {
        kind: 'travel',
      });
      // 00:30 on New Year's Day in Berlin is 23:30 UTC the day before: it belongs to 2024.
      await meeting(h.trip.id, h.station.id, '2024-01-01T00:30', ['confirmed', 'held']);
      await meeting(h.trip.id, h.station.id, '2023-12-31T22:00', ['confirmed', 'held']);

      const agreement = async (fields: object, steps: string[]) => {
        const created = await t
          .http()
          .post('/api/v1/agreements')
          .set(as)
          .send({
            title: `Vereinbarung ${tag()}`,
            parties: [{ organisationId: ministry.id }],
            ...fields,
          })
          .expect(201);
        for (const to of steps) {
          await t
            .http()
            .post(`/api/v1/agreements/${(created.body as { id: string }).id}/transitions`)
            .set(as)
            .send({ to })
            .expect(200);
        }
      };
      const signatory = await contact('Minister', ministry.id);
      const signedBy = [{ organisationId: ministry.id, signatoryContactIds: [signatory.id] }];
      await agreement(
        { kind: 'mou', category: 'academic', signedOn: '2024-03-05', parties: signedBy },
        ['negotiating', 'signed'],
      );
      await agreement({ kind: 'mou', category: 'business', signedOn: '2024-03-06' }, []);
      await agreement(
        {
          kind: 'cooperation_agreement',
          category: 'business',
          signedOn: '2023-05-10',
          parties: signedBy,
        },
        ['negotiating', 'signed'],
      );

      const response = await t
        .http()
        .get('/api/v1/reports/annual')
        .query({ year: 2024 })
        .set(as)
        .expect(200);
      const report = response.body as {
        year: number;
        timeZone: string;
        current: Record<string, Record<string, unknown>>;
        previous: Record<string, Record<string, unknown>>;
      };
      const counts = (breakdown: unknown): Record<string, number> =>
        Object.fromEntries(
          (breakdown as Breakdown).map((item): [string, number] => [String(item.key), item.count]),
        );
      expect(report.year).toBe(2024);
      expect(report.timeZone).toBe('Europe/Berlin');
      const { current, previous } = report;
      expect(current.trips.total).toMatchObject({ count: 3 });
      expect(counts(current.trips.byKind)).toEqual({
        delegation: 1,
        market_exploration: 1,
        incoming_delegation: 1,
      });
      expect(current.trips.byStatus).toEqual([
        { key: 'planned', count: 3, list: '/api/v1/trips?year=2024&status=planned' },
      ]);
      expect(current.countriesVisited).toEqual({ count: 2, countries: ['KZ', 'UZ'] });
      expect(current.participants).toMatchObject({ count: 2 });
      expect(current.peopleReached).toMatchObject({ count: 2 });
      expect(current.organisationsReached.total).toMatchObject({ count: 2 });
      expect(counts(current.organisationsReached.byKind)).toEqual({ company: 1, ministry: 1 });
      expect(current.meetingsHeld).toMatchObject({ count: 2 });
      expect(current.agreementsSigned.total).toMatchObject({ count: 1 });
      expect(counts(current.agreementsSigned.byCategory)).toEqual({ academic: 1 });
      expect(counts(current.agreementsSigned.byKind)).toEqual({ mou: 1 });

      expect(previous.year).toBe(2023);
      expect(previous.trips.total).toMatchObject({ count: 2 });
      expect(counts(previous.trips.byKind)).toEqual({ delegation: 2 });
      expect(previous.countriesVisited).toEqual({ count: 2, countries: ['DE', 'KR'] });
      expect(previous.participants).toMatchObject({ count: 1 });
      expect(previous.peopleReached).toMatchObject({ count: 1 });
      expect(previous.organisationsReached.total).toMatchObject({ count: 0 });
      expect(previous.meetingsHeld).toMatchObject({ count: 1 });
      expect(counts(previous.agreementsSigned.byCategory)).toEqual({ business: 1 });

      expect(current.peopleReached).toEqual({ count: 2, list: '/api/v1/contacts?reachedIn=2024' });
      expect((current.trips.total as { list: string }).list).toBe(
        '/api/v1/trips?year=2024&status=planned,registration_open,registration_closed,in_progress,completed',
      );
      // Every list link shows the rows counted: trips, people and organisations reached (the
      // ministry met in a meeting held), agreements signed, for both years.
      expect(await expectListsShowTheirRows(t, as, report)).toBeGreaterThan(15);

      expectProblem(
        await t.http().get('/api/v1/reports/annual').query({ year: 'last' }).set(as),
        400,
        'validation_failed',
      );
      expectProblem(await t.http().get('/api/v1/reports/annual').set(as), 400, 'validation_failed');
    });
  });
});
