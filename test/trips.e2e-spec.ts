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
  createOrganisation,
  createTrip,
  KASACHSTAN,
  moveTrip,
  ROUTE_TO,
  type StationBody,
  SUEDKOREA,
  type TripBody,
  tripIn,
  ZENTRALASIEN,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const STATUSES = [
  'draft',
  'planned',
  'registration_open',
  'registration_closed',
  'in_progress',
  'completed',
  'cancelled',
] as const;
type TripStatus = (typeof STATUSES)[number];

/** The lifecycle as the product promises it, written out here rather than imported from the app. */
const NEXT: Record<TripStatus, TripStatus[]> = {
  draft: ['planned', 'cancelled'],
  planned: ['registration_open', 'cancelled'],
  registration_open: ['registration_closed', 'cancelled'],
  registration_closed: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** Every (from, to) pair the lifecycle refuses, self-transitions included. */
const ILLEGAL = STATUSES.flatMap((from) =>
  STATUSES.filter((to) => !NEXT[from].includes(to)).map((to) => ({ from, to })),
);
const CANCELLABLE = STATUSES.filter((status) => NEXT[status].includes('cancelled'));

const ASTANA = {
  city: 'Astana',
  country: 'KZ',
  timezone: 'Asia/Almaty',
  arrivalDate: '2022-09-25',
  departureDate: '2022-09-27',
};
const ALMATY = {
  city: 'Almaty',
  country: 'KZ',
  timezone: 'Asia/Almaty',
  arrivalDate: '2022-09-27',
  departureDate: '2022-09-29',
};
const TASHKENT = {
  city: 'Tashkent',
  country: 'UZ',
  timezone: 'Asia/Tashkent',
  arrivalDate: '2022-09-29',
  departureDate: '2022-10-01',
};
const SAMARKAND = {
  city: 'Samarkand',
  country: 'UZ',
  timezone: 'Asia/Samarkand',
  arrivalDate: '2022-10-01',
  departureDate: '2022-10-02',
};
const KASACHSTAN_STATIONS = [ASTANA, ALMATY, TASHKENT, SAMARKAND];
const SEOUL = {
  city: 'Seoul',
  country: 'KR',
  timezone: 'Asia/Seoul',
  arrivalDate: '2024-09-02',
  departureDate: '2024-09-04',
};
const GYEONGGI = {
  city: 'Gyeonggi-do',
  country: 'KR',
  timezone: 'Asia/Seoul',
  arrivalDate: '2024-09-04',
  departureDate: '2024-09-06',
};

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Rows of [label, body, field] as [label, field, body], so titles read "with <label> is 400 naming <field>". */
const named = <B, F>(rows: [string, B, F][]) =>
  rows.map(([label, body, field]): [string, F, B] => [label, field, body]);

const byStartDesc = (a: TripBody, b: TripBody) =>
  a.startDate === b.startDate ? (a.id < b.id ? 1 : -1) : a.startDate < b.startDate ? 1 : -1;

/**
 * Trips and their stations through HTTP against real PostgreSQL and Redis:
 * CRUD, validation and date rules (the registration window in the agency's
 * timezone), the lifecycle, filters and paging, ETags, Idempotency-Key,
 * roles and scopes, tenant isolation, delete rules and the audit trail.
 */
describe('trips', () => {
  let t: TestApp;
  /** The main agency: CRUD, lifecycle, stations, roles, audit. */
  let desk: Agency;
  let deskAdmin: Staff;
  let deskOrganiser: Staff;
  let deskViewer: Staff;
  type KeyScope = 'trips:read' | 'trips:write' | 'directory:read';
  const keyWith = {} as Record<KeyScope, { id: string; key: string }>;
  /** desk's partner organisations and the contact who leads its trips. */
  let gtai: string;
  let optonet: string;
  let automotive: string;
  let secretary: string;
  /** Look-alike agency with the same trip; must stay invisible to desk. */
  let rival: Agency;
  let rivalOrganisation: string;
  let rivalContact: string;
  /** Read-only fixtures for the filters. */
  let catalogue: Agency;
  /** Paging only. */
  let pager: Agency;

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const owner = (agency: Agency): Headers => bearer(agency.owner.accessToken);
  const apiKey = (key: string): Headers => ({ 'X-API-Key': key });

  /** A 400 whose `errors` name exactly `fields` (and nothing else). */
  function expectInvalid(response: Response, fields: string | string[]) {
    expectProblem(response, 400, 'validation_failed');
    const errors = response.body.errors as FieldErrorBody[];
    expect(errors.length).toBeGreaterThan(0);
    expect([...new Set(errors.map((error) => error.field))].sort()).toEqual([fields].flat().sort());
    for (const error of errors) expect(typeof error.message).toBe('string');
  }

  const transition = (headers: Headers, id: string, to: string) =>
    call(headers, 'post', `/trips/${id}/transitions`, { to });

  async function getTrip(headers: Headers, id: string) {
    const response = await call(headers, 'get', `/trips/${id}`);
    expect(response.status).toBe(200);
    expect(response.headers.etag).toMatch(/^"\d+"$/);
    return { trip: response.body as TripBody, etag: String(response.headers.etag) };
  }

  async function getStation(headers: Headers, tripId: string, id: string) {
    const response = await call(headers, 'get', `/trips/${tripId}/stations/${id}`);
    expect(response.status).toBe(200);
    return { station: response.body as StationBody, etag: String(response.headers.etag) };
  }

  async function listTrips(headers: Headers, query: Record<string, string | number> = {}) {
    const response = await t
      .http()
      .get('/api/v1/trips')
      .query({ limit: 200, ...query })
      .set(headers);
    expect(response.status).toBe(200);
    return response.body as PageBody<TripBody>;
  }

  async function listStations(headers: Headers, tripId: string, query: Body = {}) {
    const response = await t
      .http()
      .get(`/api/v1/trips/${tripId}/stations`)
      .query({ limit: 200, ...query })
      .set(headers);
    expect(response.status).toBe(200);
    return response.body as PageBody<StationBody>;
  }

  async function auditEvents(agency: Agency, query: Record<string, string>) {
    const response = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ limit: 200, ...query })
      .set(owner(agency));
    expect(response.status).toBe(200);
    return (response.body as PageBody<AuditEventBody>).items;
  }

  async function tripCount(agency: Agency): Promise<number> {
    const [row] = await t.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM trips WHERE tenant_id = $1',
      [agency.tenantId],
    );
    return row.count;
  }

  async function stationCount(tripId: string): Promise<number> {
    const [row] = await t.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM stations WHERE trip_id = $1',
      [tripId],
    );
    return row.count;
  }

  beforeAll(async () => {
    t = await startTestApp();
    [desk, rival, catalogue, pager] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Catalogue Trade Missions', name: 'Heike Vogel' }),
      signUpAgency(t, { tenantName: 'Pager Trade Missions', name: 'Uwe Krause' }),
    ]);
    const scopes: KeyScope[] = ['trips:read', 'trips:write', 'directory:read'];
    const [admin, organiser, viewer, keys, organisations, contact, rivalIds] = await Promise.all([
      addStaff(t, desk, 'admin', 'Anna Schmidt'),
      addStaff(t, desk, 'organiser', 'Jonas Becker'),
      addStaff(t, desk, 'viewer', 'Lena Hoffmann'),
      Promise.all(scopes.map((scope) => addApiKey(t, desk, [scope], { name: `Only ${scope}` }))),
      Promise.all([
        createOrganisation(t, desk, {
          name: 'Germany Trade & Invest',
          shortName: 'GTAI',
          kind: 'agency',
          country: 'DE',
          city: 'Berlin',
        }),
        createOrganisation(t, desk, {
          name: 'OptoNet e.V.',
          kind: 'association',
          country: 'DE',
          city: 'Jena',
        }),
        createOrganisation(t, desk, {
          name: 'automotive thüringen e.V.',
          kind: 'association',
          country: 'DE',
          city: 'Erfurt',
        }),
      ]),
      createContact(t, desk, {
        firstName: 'Ines',
        lastName: 'Hartmann',
        position: 'Staatssekretärin für Wirtschaft',
        email: undefined,
      }),
      Promise.all([
        createOrganisation(t, rival, { name: 'OptoNet e.V.', kind: 'association', country: 'DE' }),
        createContact(t, rival, { firstName: 'Ines', lastName: 'Hartmann', email: undefined }),
      ]),
    ]);
    [deskAdmin, deskOrganiser, deskViewer] = [admin, organiser, viewer];
    scopes.forEach((scope, index) => (keyWith[scope] = keys[index]));
    [gtai, optonet, automotive] = organisations.map((organisation) => organisation.id);
    secretary = contact.id;
    [rivalOrganisation, rivalContact] = rivalIds.map((record) => record.id);
  });

  afterAll(() => t.close());

  describe('creating, reading and changing', () => {
    it('POST creates a draft with the defaults (countries upper-cased); GET shows the same with an ETag', async () => {
      const created = await call(owner(desk), 'post', '/trips', {
        ...KASACHSTAN,
        countries: ['kz', 'uz'],
      });
      expect(created.status).toBe(201);
      const trip = created.body as TripBody;
      expect(trip).toEqual({
        id: expect.any(String),
        title: 'Markterkundungsreise Kasachstan und Usbekistan',
        kind: 'market_exploration',
        status: 'draft',
        countries: ['KZ', 'UZ'],
        startDate: '2022-09-25',
        endDate: '2022-10-02',
        capacity: 25,
        seatsPerOrganisation: null,
        waitlistPolicy: 'strict_order',
        registrationMode: 'invitation_only',
        publicId: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
        approvalRequired: false,
        registrationOpensAt: null,
        registrationClosesAt: null,
        sectors: [],
        coOrganiserIds: [],
        leadContactId: null,
        leadRole: null,
        description: null,
        allowedTransitions: ['planned', 'cancelled'],
        participantCounts: {},
        agreementCounts: {},
        seatsLeft: 25,
        readiness: {
          travelling: 0,
          visaRequired: 0,
          visasNotGranted: 0,
          travelDocumentsMissing: 0,
          passportExpiryWarnings: 0,
        },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
      });
      expect(created.headers.etag).toBe('"1"');

      const { trip: read, etag } = await getTrip(owner(desk), trip.id);
      expect(etag).toBe('"1"');
      expect(read).toEqual(trip);
    });

    it('POST takes every field: the Südkorea trip with co-organisers, a lead and a registration window', async () => {
      const body = {
        ...SUEDKOREA,
        seatsPerOrganisation: 2,
        waitlistPolicy: 'fill_gaps',
        registrationMode: 'open',
        approvalRequired: true,
        registrationOpensAt: '2024-05-02T07:00:00.000Z',
        registrationClosesAt: '2024-07-31T21:59:59.000Z',
        sectors: ['Optik und Photonik', 'Automobilzulieferer'],
        coOrganiserIds: [gtai, optonet, automotive],
        leadContactId: secretary,
        leadRole: 'Staatssekretärin für Wirtschaft',
        description: 'Unternehmerreise nach Seoul und in die Provinz Gyeonggi-do.',
      };
      const trip = await createTrip(t, owner(desk), body);
      const { coOrganiserIds, ...rest } = body;
      expect(trip).toMatchObject({ ...rest, status: 'draft', version: 1 });
      expect([...trip.coOrganiserIds].sort()).toEqual([...coOrganiserIds].sort());
      expect((await getTrip(owner(desk), trip.id)).trip).toEqual(trip);
    });

    it('PATCH changes only what is sent, null clears optional fields, and answers as a GET then does', async () => {
      const trip = await createTrip(t, owner(desk), {
        ...SUEDKOREA,
        seatsPerOrganisation: 3,
        registrationOpensAt: '2024-05-02T07:00:00.000Z',
        registrationClosesAt: '2024-07-31T21:59:59.000Z',
        sectors: ['Optik und Photonik'],
        coOrganiserIds: [gtai, optonet],
        leadContactId: secretary,
        leadRole: 'Staatssekretärin für Wirtschaft',
        description: 'Erste Fassung.',
      });

      const changed = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
        capacity: 18,
        description: 'Mit Besuch der Messe in Goyang.',
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toEqual({
        ...trip,
        capacity: 18,
        seatsLeft: 18,
        description: 'Mit Besuch der Messe in Goyang.',
        version: 2,
        updatedAt: expect.any(String),
      });
      expect((await getTrip(owner(desk), trip.id)).trip).toEqual(changed.body);

      const cleared = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
        seatsPerOrganisation: null,
        registrationOpensAt: null,
        registrationClosesAt: null,
        leadContactId: null,
        leadRole: null,
        description: null,
        sectors: [],
        coOrganiserIds: [],
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        ...SUEDKOREA,
        capacity: 18,
        seatsPerOrganisation: null,
        registrationOpensAt: null,
        registrationClosesAt: null,
        leadContactId: null,
        leadRole: null,
        description: null,
        sectors: [],
        coOrganiserIds: [],
        status: 'draft',
        version: 3,
      });
      const { trip: read, etag } = await getTrip(owner(desk), trip.id);
      expect(read).toEqual(cleared.body);
      expect(etag).toBe('"3"');
    });

    it('PATCH with nothing new changes nothing: same version, same updatedAt', async () => {
      const trip = await createTrip(t, owner(desk), { ...ZENTRALASIEN, countries: ['KZ', 'UZ'] });
      for (const body of [{}, { capacity: 20 }, { countries: ['kz', 'uz'], title: trip.title }]) {
        const response = await call(owner(desk), 'patch', `/trips/${trip.id}`, body);
        expect(response.status).toBe(200);
        expect(response.body).toEqual(trip);
      }
    });

    it('changing only the co-organisers is a change: new version (ETag) and updatedAt', async () => {
      const trip = await createTrip(t, owner(desk), { ...SUEDKOREA, coOrganiserIds: [gtai] });
      const changed = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
        coOrganiserIds: [gtai, automotive],
      });
      expect(changed.status).toBe(200);
      const body = changed.body as TripBody;
      expect([...body.coOrganiserIds].sort()).toEqual([gtai, automotive].sort());
      expect(body.version).toBe(2);
      expect(changed.headers.etag).toBe('"2"');
      expect(new Date(body.updatedAt).getTime()).toBeGreaterThan(
        new Date(trip.updatedAt).getTime(),
      );
      const stale = await call(owner(desk), 'patch', `/trips/${trip.id}`, { capacity: 16 }).set(
        'If-Match',
        '"1"',
      );
      expectProblem(stale, 412, 'precondition_failed');
    });

    const INVALID_CREATES: [string, Body, string | string[]][] = [
      ['no title', { title: undefined }, 'title'],
      ['a blank title', { title: '   ' }, 'title'],
      ['a title of 301 characters', { title: 'x'.repeat(301) }, 'title'],
      ['no kind', { kind: undefined }, 'kind'],
      ['an unknown kind', { kind: 'holiday' }, 'kind'],
      ['an unknown country', { countries: ['KZ', 'XX'] }, 'countries'],
      ['a country twice', { countries: ['KZ', 'kz'] }, 'countries'],
      ['countries as a string', { countries: 'KZ' }, 'countries'],
      ['no startDate', { startDate: undefined }, 'startDate'],
      ['a startDate that does not exist', { startDate: '2022-02-30' }, 'startDate'],
      ['a German startDate', { startDate: '25.09.2022' }, 'startDate'],
      ['no endDate', { endDate: undefined }, 'endDate'],
      ['an endDate that does not exist', { endDate: '2022-09-31' }, 'endDate'],
      ['an endDate before the startDate', { endDate: '2022-09-24' }, 'endDate'],
      ['no capacity', { capacity: undefined }, 'capacity'],
      ['capacity 0', { capacity: 0 }, 'capacity'],
      ['a fractional capacity', { capacity: 2.5 }, 'capacity'],
      ['capacity as a string', { capacity: '25' }, 'capacity'],
      ['seatsPerOrganisation 0', { seatsPerOrganisation: 0 }, 'seatsPerOrganisation'],
      ['an unknown waitlistPolicy', { waitlistPolicy: 'random' }, 'waitlistPolicy'],
      ['an unknown registrationMode', { registrationMode: 'public' }, 'registrationMode'],
      ['approvalRequired as a string', { approvalRequired: 'yes' }, 'approvalRequired'],
      [
        'a registrationOpensAt that is no instant',
        { registrationOpensAt: 'Montag' },
        'registrationOpensAt',
      ],
      [
        'a registrationClosesAt on 30 February',
        { registrationClosesAt: '2022-02-30T08:00:00Z' },
        'registrationClosesAt',
      ],
      [
        'a registration window closing before it opens',
        {
          registrationOpensAt: '2022-08-01T08:00:00Z',
          registrationClosesAt: '2022-07-31T08:00:00Z',
        },
        'registrationClosesAt',
      ],
      [
        'a registration window closing as it opens',
        {
          registrationOpensAt: '2022-08-01T08:00:00Z',
          registrationClosesAt: '2022-08-01T08:00:00Z',
        },
        'registrationClosesAt',
      ],
      [
        'registration closing on the first day of the trip',
        { registrationClosesAt: '2022-09-25T08:00:00Z' },
        'registrationClosesAt',
      ],
      ['a sector of 61 characters', { sectors: ['x'.repeat(61)] }, 'sectors'],
      ['a co-organiser that is no uuid', { coOrganiserIds: ['GTAI'] }, 'coOrganiserIds'],
      ['an unknown co-organiser', { coOrganiserIds: [randomUUID()] }, 'coOrganiserIds'],
      ['a leadContactId that is no uuid', { leadContactId: 'Hartmann' }, 'leadContactId'],
      ['an unknown leadContactId', { leadContactId: randomUUID() }, 'leadContactId'],
      ['a status (read-only)', { status: 'planned' }, 'status'],
      ['allowedTransitions (read-only)', { allowedTransitions: ['planned'] }, 'allowedTransitions'],
      ['an unknown field', { budget: 120_000 }, 'budget'],
    ];

    it.each(named(INVALID_CREATES))(
      'POST with %s is 400 naming %s and creates nothing',
      async (_, field, change) => {
        const before = await tripCount(desk);
        const response = await call(owner(desk), 'post', '/trips', { ...KASACHSTAN, ...change });
        expectInvalid(response, field);
        expect(await tripCount(desk)).toBe(before);
      },
    );

    /** Optional fields that are never null: null must be refused or mean the default. */
    const DEFAULTS: Record<string, unknown> = {
      countries: [],
      sectors: [],
      waitlistPolicy: 'strict_order',
      registrationMode: 'invitation_only',
      approvalRequired: false,
      coOrganiserIds: [],
    };

    it.each(Object.keys(DEFAULTS))(
      'POST with %s: null is a 400 or the default, never a server error',
      async (field) => {
        const before = await tripCount(desk);
        const response = await call(owner(desk), 'post', '/trips', {
          ...KASACHSTAN,
          [field]: null,
        });
        expect(response.status).not.toBe(500);
        if (response.status === 400) {
          expectInvalid(response, field);
          expect(await tripCount(desk)).toBe(before);
        } else {
          expect(response.status).toBe(201);
          expect(response.body[field]).toEqual(DEFAULTS[field]);
        }
      },
    );

    it.each(Object.keys(DEFAULTS))(
      'PATCH with %s: null is a 400 or resets the default, never a server error',
      async (field) => {
        const trip = await createTrip(t, owner(desk), {
          ...SUEDKOREA,
          sectors: ['Optik und Photonik'],
          waitlistPolicy: 'fill_gaps',
          registrationMode: 'open',
          approvalRequired: true,
          coOrganiserIds: [gtai],
        });
        const response = await call(owner(desk), 'patch', `/trips/${trip.id}`, { [field]: null });
        expect(response.status).not.toBe(500);
        if (response.status === 400) {
          expectInvalid(response, field);
          expect((await getTrip(owner(desk), trip.id)).trip).toEqual(trip);
        } else {
          expect(response.status).toBe(200);
          expect(response.body[field]).toEqual(DEFAULTS[field]);
        }
      },
    );

    it("another agency's partner organisation or contact is refused like an unknown one", async () => {
      const before = await tripCount(desk);
      expectInvalid(
        await call(owner(desk), 'post', '/trips', {
          ...SUEDKOREA,
          coOrganiserIds: [gtai, rivalOrganisation],
        }),
        'coOrganiserIds',
      );
      expectInvalid(
        await call(owner(desk), 'post', '/trips', { ...SUEDKOREA, leadContactId: rivalContact }),
        'leadContactId',
      );
      expect(await tripCount(desk)).toBe(before);

      const trip = await createTrip(t, owner(desk), SUEDKOREA);
      expectInvalid(
        await call(owner(desk), 'patch', `/trips/${trip.id}`, {
          coOrganiserIds: [rivalOrganisation],
        }),
        'coOrganiserIds',
      );
      expectInvalid(
        await call(owner(desk), 'patch', `/trips/${trip.id}`, { leadContactId: rivalContact }),
        'leadContactId',
      );
      expect((await getTrip(owner(desk), trip.id)).trip).toEqual(trip);
    });

    describe('invalid PATCH bodies', () => {
      let trip: TripBody;
      beforeAll(async () => {
        trip = await createTrip(t, owner(desk), {
          ...KASACHSTAN,
          registrationOpensAt: '2022-06-01T08:00:00.000Z',
          registrationClosesAt: '2022-09-10T10:00:00.000Z',
        });
      });

      const INVALID_PATCHES: [string, Body, string][] = [
        ['a status', { status: 'cancelled' }, 'status'],
        ['a version', { version: 7 }, 'version'],
        ['an id', { id: randomUUID() }, 'id'],
        ['a null title', { title: null }, 'title'],
        ['a null kind', { kind: null }, 'kind'],
        ['a null startDate', { startDate: null }, 'startDate'],
        ['a null endDate', { endDate: null }, 'endDate'],
        ['a null capacity', { capacity: null }, 'capacity'],
        ['a negative capacity', { capacity: -1 }, 'capacity'],
        ['an endDate before the startDate', { endDate: '2022-09-24' }, 'endDate'],
        ['a startDate after the endDate', { startDate: '2022-10-03' }, 'endDate'],
        [
          'a startDate on the day registration closes',
          { startDate: '2022-09-10' },
          'registrationClosesAt',
        ],
        [
          'registration closing at the start of the trip',
          { registrationClosesAt: '2022-09-24T22:00:00Z' },
          'registrationClosesAt',
        ],
        [
          'registration opening after it closes',
          { registrationOpensAt: '2022-09-11T00:00:00Z' },
          'registrationClosesAt',
        ],
        ['an unknown co-organiser', { coOrganiserIds: [randomUUID()] }, 'coOrganiserIds'],
        ['an unknown lead contact', { leadContactId: randomUUID() }, 'leadContactId'],
        ['an unknown country', { countries: ['SU'] }, 'countries'],
      ];

      it.each(named(INVALID_PATCHES))('PATCH with %s is 400 naming %s', async (_, field, body) => {
        expectInvalid(await call(owner(desk), 'patch', `/trips/${trip.id}`, body), field);
      });

      it('the refused PATCHes changed nothing', async () => {
        const { trip: after, etag } = await getTrip(owner(desk), trip.id);
        expect(etag).toBe('"1"');
        expect(after).toEqual(trip);
      });
    });

    describe('registration closes before 00:00 of the first day in Europe/Berlin', () => {
      const BOUNDARY: { startDate: string; closes: string; status: 201 | 400 }[] = [
        // CEST (+2): the Kasachstan trip starts at 2022-09-24T22:00:00Z.
        { startDate: '2022-09-25', closes: '2022-09-24T21:59:59Z', status: 201 },
        { startDate: '2022-09-25', closes: '2022-09-24T21:59:59.999Z', status: 201 },
        { startDate: '2022-09-25', closes: '2022-09-24T23:59:59+02:00', status: 201 },
        { startDate: '2022-09-25', closes: '2022-09-24T22:00:00Z', status: 400 },
        { startDate: '2022-09-25', closes: '2022-09-25T00:00:00+02:00', status: 400 },
        { startDate: '2022-09-25', closes: '2022-09-24T23:30:00Z', status: 400 },
        // CET (+1) in winter.
        { startDate: '2022-12-05', closes: '2022-12-04T22:59:59Z', status: 201 },
        { startDate: '2022-12-05', closes: '2022-12-04T23:00:00Z', status: 400 },
        // Days on which the clocks change: midnight is still in the old offset.
        { startDate: '2023-03-26', closes: '2023-03-25T22:59:59Z', status: 201 },
        { startDate: '2023-03-26', closes: '2023-03-25T23:00:00Z', status: 400 },
        { startDate: '2022-10-30', closes: '2022-10-29T21:59:59Z', status: 201 },
        { startDate: '2022-10-30', closes: '2022-10-29T22:00:00Z', status: 400 },
      ];

      it.each(BOUNDARY)(
        'a trip starting $startDate, registration closing $closes: $status',
        async ({ startDate, closes, status }) => {
          const response = await call(owner(desk), 'post', '/trips', {
            ...KASACHSTAN,
            startDate,
            endDate: addDays(startDate, 7),
            registrationClosesAt: closes,
          });
          if (status === 201) {
            expect(response.status).toBe(201);
            expect(new Date((response.body as TripBody).registrationClosesAt ?? 0).getTime()).toBe(
              new Date(closes).getTime(),
            );
          } else {
            expectInvalid(response, 'registrationClosesAt');
            expect(response.body.errors[0].message).toContain('Europe/Berlin');
          }
        },
      );

      it('PATCH applies the same boundary to the trip as it would become', async () => {
        const trip = await createTrip(t, owner(desk), {
          ...KASACHSTAN,
          registrationClosesAt: '2022-09-24T21:59:59Z',
        });
        expectInvalid(
          await call(owner(desk), 'patch', `/trips/${trip.id}`, {
            registrationClosesAt: '2022-09-24T22:00:00Z',
          }),
          'registrationClosesAt',
        );
        expectInvalid(
          await call(owner(desk), 'patch', `/trips/${trip.id}`, { startDate: '2022-09-24' }),
          'registrationClosesAt',
        );
        // Moving the start later and the closing with it is fine.
        const moved = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
          startDate: '2022-09-26',
          registrationClosesAt: '2022-09-25T21:59:59.999Z',
        });
        expect(moved.status).toBe(200);
        expect(moved.body).toMatchObject({
          startDate: '2022-09-26',
          registrationClosesAt: '2022-09-25T21:59:59.999Z',
          version: 2,
        });
      });
    });
  });

  describe('lifecycle', () => {
    it('walks draft → planned → registration_open → registration_closed → in_progress → completed', async () => {
      const trip = await createTrip(t, owner(desk), ZENTRALASIEN);
      expect(trip.allowedTransitions).toEqual(NEXT.draft);
      let version = trip.version;
      for (const to of ROUTE_TO.completed) {
        const response = await transition(owner(desk), trip.id, to);
        expect(response.status).toBe(200);
        version += 1;
        expect(response.body).toEqual({
          ...trip,
          status: to,
          allowedTransitions: NEXT[to],
          version,
          updatedAt: expect.any(String),
        });
        expect(response.headers.etag).toBe(`"${version}"`);
        const { trip: read } = await getTrip(owner(desk), trip.id);
        expect(read).toEqual(response.body);
      }
    });

    describe('illegal transitions', () => {
      const tripsIn = {} as Record<TripStatus, TripBody>;
      beforeAll(async () => {
        const trips = await Promise.all(STATUSES.map((status) => tripIn(t, owner(desk), status)));
        STATUSES.forEach((status, index) => (tripsIn[status] = trips[index]));
      });

      it.each(ILLEGAL)(
        '$from → $to is 409 illegal_transition naming what is allowed; nothing changes',
        async ({ from, to }) => {
          const trip = tripsIn[from];
          const before = await getTrip(owner(desk), trip.id);
          expect(before.trip.status).toBe(from);

          const response = await transition(owner(desk), trip.id, to);
          expectProblem(response, 409, 'illegal_transition');
          expect(response.body).toMatchObject({ from, to, allowedTransitions: NEXT[from] });
          expect(response.body.allowedTransitions).toEqual(NEXT[from]);

          const after = await getTrip(owner(desk), trip.id);
          expect(after.trip).toEqual(before.trip);
          expect(after.etag).toBe(before.etag);
        },
      );
    });

    it('two clients planning the same draft at once: one moves it, the other gets 409', async () => {
      const trip = await createTrip(t, owner(desk), ZENTRALASIEN);
      const responses = await Promise.all([
        transition(owner(desk), trip.id, 'planned'),
        transition(bearer(deskOrganiser.accessToken), trip.id, 'planned'),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const refused = responses.find((response) => response.status === 409);
      expect(refused?.body).toMatchObject({
        code: 'illegal_transition',
        from: 'planned',
        to: 'planned',
        allowedTransitions: NEXT.planned,
      });
      const { trip: after, etag } = await getTrip(owner(desk), trip.id);
      expect(after.status).toBe('planned');
      expect(etag).toBe('"2"');
      const events = await auditEvents(desk, { entityType: 'trip', entityId: trip.id });
      expect(events.map((event) => event.action)).toEqual(['trip.status_changed', 'trip.created']);
    });

    it.each(CANCELLABLE)(
      'a trip that is %s can be cancelled, and nothing follows',
      async (status) => {
        const trip = await tripIn(t, owner(desk), status);
        const response = await transition(owner(desk), trip.id, 'cancelled');
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          id: trip.id,
          status: 'cancelled',
          allowedTransitions: [],
          version: trip.version + 1,
        });
        expect((await getTrip(owner(desk), trip.id)).trip.status).toBe('cancelled');
        const again = await transition(owner(desk), trip.id, status);
        expectProblem(again, 409, 'illegal_transition');
        expect(again.body.allowedTransitions).toEqual([]);
      },
    );

    it.each(
      named<Body, string>([
        ['an unknown status', { to: 'archived' }, 'to'],
        ['no status', {}, 'to'],
        ['a null status', { to: null }, 'to'],
        ['an unknown field', { to: 'planned', reason: 'Budget approved' }, 'reason'],
      ]),
    )('a transition with %s is 400 naming %s', async (_, field, body) => {
      const trip = await createTrip(t, owner(desk), ZENTRALASIEN);
      expectInvalid(await call(owner(desk), 'post', `/trips/${trip.id}/transitions`, body), field);
      expect((await getTrip(owner(desk), trip.id)).trip).toEqual(trip);
    });
  });

  describe('listing', () => {
    const CATALOGUE: Record<string, Body & { status: TripStatus }> = {
      kasachstan: { ...KASACHSTAN, status: 'completed' },
      zentralasien: { ...ZENTRALASIEN, status: 'planned' },
      suedkorea: { ...SUEDKOREA, status: 'registration_open' },
      hannover: {
        title: 'Gemeinschaftsstand Hannover Messe',
        kind: 'trade_fair',
        countries: ['DE'],
        startDate: '2023-04-17',
        endDate: '2023-04-21',
        capacity: 12,
        status: 'cancelled',
      },
      incoming: {
        title: 'Usbekische Delegation in Thüringen',
        kind: 'incoming_delegation',
        countries: ['DE'],
        startDate: '2023-06-12',
        endDate: '2023-06-14',
        capacity: 30,
        status: 'draft',
      },
      webinar: {
        title: 'Online-Informationsveranstaltung Kasachstan',
        kind: 'information_event',
        countries: ['KZ'],
        startDate: '2022-06-01',
        endDate: '2022-06-01',
        capacity: 100,
        status: 'draft',
      },
      mongolei: {
        title: 'Virtuelle Mission Mongolei',
        kind: 'virtual_mission',
        countries: ['MN'],
        startDate: '2022-12-28',
        endDate: '2023-01-03',
        capacity: 40,
        status: 'in_progress',
      },
    };
    type Name = keyof typeof CATALOGUE;
    const ids = {} as Record<Name, string>;
    const nameOf = (id: string) => Object.keys(ids).find((name) => ids[name] === id) ?? id;

    beforeAll(async () => {
      await Promise.all(
        Object.entries(CATALOGUE).map(async ([name, { status, ...body }]) => {
          ids[name] = (await tripIn(t, owner(catalogue), status, body)).id;
        }),
      );
    });

    it('lists newest start first, each trip as GET shows it', async () => {
      const page = await listTrips(owner(catalogue));
      expect(page.nextCursor).toBeNull();
      expect(page.items.map((trip) => nameOf(trip.id))).toEqual([
        'suedkorea',
        'incoming',
        'zentralasien',
        'hannover',
        'mongolei',
        'kasachstan',
        'webinar',
      ]);
      for (const item of page.items) {
        expect(item).toEqual((await getTrip(owner(catalogue), item.id)).trip);
      }
    });

    const FILTERS: [string, string[]][] = [
      ['status=draft', ['incoming', 'webinar']],
      ['status=completed', ['kasachstan']],
      ['status=in_progress', ['mongolei']],
      ['kind=delegation', ['suedkorea', 'zentralasien']],
      ['kind=trade_fair', ['hannover']],
      ['kind=virtual_mission', ['mongolei']],
      ['country=KZ', ['zentralasien', 'kasachstan', 'webinar']],
      ['country=kz', ['zentralasien', 'kasachstan', 'webinar']],
      ['country=UZ', ['zentralasien', 'kasachstan']],
      ['country=DE', ['incoming', 'hannover']],
      ['country=FR', []],
      ['year=2023', ['incoming', 'zentralasien', 'hannover']],
      ['year=2022', ['mongolei', 'kasachstan', 'webinar']],
      ['year=2021', []],
      ['from=2023-01-01', ['suedkorea', 'incoming', 'zentralasien', 'hannover', 'mongolei']],
      ['from=2023-01-04', ['suedkorea', 'incoming', 'zentralasien', 'hannover']],
      ['to=2022-09-25', ['kasachstan', 'webinar']],
      ['to=2022-09-24', ['webinar']],
      ['from=2022-10-02&to=2022-10-02', ['kasachstan']],
      ['from=2022-10-03&to=2022-12-27', []],
      ['from=2023-01-01&to=2023-01-01', ['mongolei']],
      ['from=2023-04-20&to=2023-04-23', ['zentralasien', 'hannover']],
      ['from=2023-04-22&to=2023-04-22', []],
      ['country=KZ&year=2022&status=draft', ['webinar']],
      ['kind=delegation&country=KR', ['suedkorea']],
      ['status=registration_open&from=2024-01-01&to=2024-12-31', ['suedkorea']],
      // Several statuses, comma-separated (what a report's list link uses).
      ['status=completed,in_progress', ['mongolei', 'kasachstan']],
      ['status=draft,completed&year=2022', ['kasachstan', 'webinar']],
    ];

    it.each(FILTERS)('%s lists %j', async (query, expected) => {
      const response = await call(owner(catalogue), 'get', `/trips?${query}`);
      expect(response.status).toBe(200);
      const page = response.body as PageBody<TripBody>;
      expect(page.items.map((trip) => nameOf(trip.id))).toEqual(expected);
      expect(page.nextCursor).toBeNull();
    });

    it('updatedSince lists the trips changed at or after that instant', async () => {
      const everything = await listTrips(owner(catalogue));
      const earliest = everything.items.map((trip) => trip.updatedAt).sort()[0];
      expect((await listTrips(owner(catalogue), { updatedSince: earliest })).items).toHaveLength(7);

      const changed = await call(owner(catalogue), 'patch', `/trips/${ids.zentralasien}`, {
        description: 'Astana, Almaty, Taschkent, Bischkek.',
      });
      expect(changed.status).toBe(200);
      const at = (changed.body as TripBody).updatedAt;
      const since = await listTrips(owner(catalogue), { updatedSince: at });
      expect(since.items.map((trip) => nameOf(trip.id))).toEqual(['zentralasien']);
      const later = new Date(new Date(at).getTime() + 1).toISOString();
      expect((await listTrips(owner(catalogue), { updatedSince: later })).items).toEqual([]);

      // A transition is a change too.
      const moved = await transition(owner(catalogue), ids.kasachstan, 'in_progress');
      expectProblem(moved, 409, 'illegal_transition');
      const opened = await transition(owner(catalogue), ids.zentralasien, 'registration_open');
      expect(opened.status).toBe(200);
      const afterTransition = await listTrips(owner(catalogue), {
        updatedSince: (opened.body as TripBody).updatedAt,
      });
      expect(afterTransition.items.map((trip) => nameOf(trip.id))).toEqual(['zentralasien']);
    });

    it.each([
      ['status=archived', 'status'],
      ['status=draft,archived', 'status'],
      ['status=draft,', 'status'],
      ['kind=holiday', 'kind'],
      ['country=XX', 'country'],
      ['year=zweitausend', 'year'],
      ['year=2022.5', 'year'],
      ['year=1800', 'year'],
      ['from=2022-02-30', 'from'],
      ['to=morgen', 'to'],
      ['updatedSince=gestern', 'updatedSince'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=nonsense', 'cursor'],
      ['colour=red', 'colour'],
    ])('GET /trips?%s is 400 naming %s', async (query, field) => {
      expectInvalid(await call(owner(catalogue), 'get', `/trips?${query}`), field);
    });
  });

  describe('paging', () => {
    it('pages newest start first with limit 6 while trips are created both behind and ahead of the cursor', async () => {
      const headers = owner(pager);
      const trip = (title: string, startDate: string): Body => ({
        title,
        kind: 'delegation',
        countries: ['KZ'],
        startDate,
        endDate: addDays(startDate, 3),
        capacity: 10,
      });
      // 25 trips, four days apart, so trips created while paging can start in between.
      const originals = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          createTrip(t, headers, trip(`Delegation ${i + 1}`, addDays('2031-01-01', 4 * i))),
        ),
      );
      const originalIds = new Set(originals.map((item) => item.id));

      const seen: TripBody[] = [];
      const pageSizes: number[] = [];
      const inserted = new Set<string>();
      /** Newer than the cursor when created: must never be listed. */
      const behind: string[] = [];
      /** Older than the cursor, created between two page reads: must be listed. */
      const ahead: string[] = [];
      /** Older than every original, created while a page was read: listed unless that was the last page. */
      const oldest: string[][] = [];
      let cursor: string | undefined;
      let round = 0;
      do {
        const last = seen.at(-1);
        // Created while the page is being read: before and after the cursor.
        const [response, ...created] = await Promise.all([
          call(headers, 'get', `/trips?limit=6${cursor ? `&cursor=${cursor}` : ''}`),
          createTrip(t, headers, trip(`Älteste ${round}`, addDays('2030-12-31', -round))),
          createTrip(
            t,
            headers,
            trip(`Neuer ${round}`, addDays(last?.startDate ?? '2036-01-01', 1)),
          ),
          createTrip(
            t,
            headers,
            trip(`Dazwischen ${round}`, addDays(last?.startDate ?? '2031-05-01', -1)),
          ),
        ]);
        expect(response.status).toBe(200);
        const page = response.body as PageBody<TripBody>;
        seen.push(...page.items);
        pageSizes.push(page.items.length);
        created.forEach((item) => inserted.add(item.id));
        oldest.push([created[0].id]);
        if (last) behind.push(created[1].id);
        cursor = page.nextCursor ?? undefined;

        // Created between two page reads, on either side of the cursor.
        const end = page.items.at(-1);
        if (cursor && end) {
          const [newer, older] = await Promise.all([
            createTrip(t, headers, trip(`Gerade verpasst ${round}`, addDays(end.startDate, 2))),
            createTrip(t, headers, trip(`Gleich danach ${round}`, addDays(end.startDate, -2))),
          ]);
          behind.push(newer.id);
          ahead.push(older.id);
          inserted.add(newer.id).add(older.id);
        }
        round++;
      } while (cursor && round < 30);

      expect(cursor).toBeUndefined();
      expect(round).toBeGreaterThanOrEqual(5);
      const seenIds = seen.map((item) => item.id);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      for (const id of originalIds) expect(seenIds).toContain(id);
      for (const id of ahead) expect(seenIds).toContain(id);
      for (const id of oldest.slice(0, -1).flat()) expect(seenIds).toContain(id);
      for (const id of behind) expect(seenIds).not.toContain(id);
      for (const id of seenIds) expect(originalIds.has(id) || inserted.has(id)).toBe(true);
      expect(seen).toEqual([...seen].sort(byStartDesc));
      expect(pageSizes.slice(0, -1).every((size) => size === 6)).toBe(true);
      expect(pageSizes.at(-1)).toBeLessThanOrEqual(6);
    });

    it('trips starting on the same day are paged by id, each exactly once', async () => {
      const headers = owner(pager);
      const sameDay = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          createTrip(t, headers, {
            ...ZENTRALASIEN,
            title: `Delegationsreise Zentralasien ${i + 1}`,
            startDate: '2040-05-04',
            endDate: '2040-05-08',
          }),
        ),
      );
      const dayBefore = await createTrip(t, headers, {
        ...ZENTRALASIEN,
        startDate: '2040-05-03',
        endDate: '2040-05-08',
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await call(
          headers,
          'get',
          `/trips?year=2040&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(response.status).toBe(200);
        const page = response.body as PageBody<TripBody>;
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([
        ...sameDay
          .map((item) => item.id)
          .sort()
          .reverse(),
        dayBefore.id,
      ]);
    });

    it("a cursor from a trip's station listing is refused on the trip listing", async () => {
      const trip = await createTrip(t, owner(pager), SUEDKOREA);
      await addStation(t, owner(pager), trip.id, SEOUL);
      await addStation(t, owner(pager), trip.id, GYEONGGI);
      const stations = await listStations(owner(pager), trip.id, { limit: 1 });
      expect(stations.nextCursor).not.toBeNull();
      expectInvalid(
        await call(owner(pager), 'get', `/trips?cursor=${stations.nextCursor}`),
        'cursor',
      );
    });
  });

  describe('stations', () => {
    it('adds the Kasachstan stations, each after the last by default, and lists them in order', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const stations: StationBody[] = [];
      for (const [index, body] of KASACHSTAN_STATIONS.entries()) {
        const response = await call(owner(desk), 'post', `/trips/${trip.id}/stations`, {
          ...body,
          country: body.country.toLowerCase(),
        });
        expect(response.status).toBe(201);
        expect(response.headers.etag).toBe('"1"');
        expect(response.body).toEqual({
          ...body,
          id: expect.any(String),
          tripId: trip.id,
          position: index + 1,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          version: 1,
        });
        stations.push(response.body as StationBody);
      }

      const list = await listStations(owner(desk), trip.id);
      expect(list.items).toEqual(stations);
      expect(list.nextCursor).toBeNull();
      const { station, etag } = await getStation(owner(desk), trip.id, stations[2].id);
      expect(station).toEqual(stations[2]);
      expect(etag).toBe('"1"');

      const first = await listStations(owner(desk), trip.id, { limit: 3 });
      expect(first.items.map((item) => item.city)).toEqual(['Astana', 'Almaty', 'Tashkent']);
      expect(first.nextCursor).not.toBeNull();
      const second = await listStations(owner(desk), trip.id, {
        limit: 3,
        cursor: first.nextCursor ?? '',
      });
      expect(second.items.map((item) => item.city)).toEqual(['Samarkand']);
      expect(second.nextCursor).toBeNull();
    });

    it('stores a timezone written in another letter case as IANA spells it', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const station = await addStation(t, owner(desk), trip.id, {
        ...KASACHSTAN_STATIONS[0],
        timezone: 'asia/almaty',
      });
      expect(station.timezone).toBe('Asia/Almaty');
    });

    it('stations added at the same time get distinct default positions', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const added = await Promise.all(
        KASACHSTAN_STATIONS.map((body) => addStation(t, owner(desk), trip.id, body)),
      );
      expect(added.map((station) => station.position).sort()).toEqual([1, 2, 3, 4]);
      const list = await listStations(owner(desk), trip.id);
      expect(list.items.map((station) => station.position)).toEqual([1, 2, 3, 4]);
    });

    it('explicit positions decide the order; the default goes after the highest', async () => {
      const trip = await createTrip(t, owner(desk), SUEDKOREA);
      const gyeonggi = await addStation(t, owner(desk), trip.id, { ...GYEONGGI, position: 5 });
      const seoul = await addStation(t, owner(desk), trip.id, { ...SEOUL, position: 2 });
      expect([seoul.position, gyeonggi.position]).toEqual([2, 5]);
      const incheon = await addStation(t, owner(desk), trip.id, {
        city: 'Incheon',
        country: 'KR',
        timezone: 'Asia/Seoul',
        arrivalDate: '2024-09-06',
        departureDate: '2024-09-06',
      });
      expect(incheon.position).toBe(6);
      const list = await listStations(owner(desk), trip.id);
      expect(list.items.map((item) => [item.city, item.position])).toEqual([
        ['Seoul', 2],
        ['Gyeonggi-do', 5],
        ['Incheon', 6],
      ]);
    });

    it('PATCH changes a station (dates, position), answers as GET then does (with notices: none here); DELETE removes it', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const [astana, , tashkent] = await Promise.all(
        KASACHSTAN_STATIONS.map((body, index) =>
          addStation(t, owner(desk), trip.id, { ...body, position: index + 1 }),
        ),
      );

      const renamed = await call(owner(desk), 'patch', `/trips/${trip.id}/stations/${astana.id}`, {
        city: 'Nur-Sultan',
        departureDate: '2022-09-26',
      });
      expect(renamed.status).toBe(200);
      expect(renamed.headers.etag).toBe('"2"');
      expect(renamed.body).toEqual({
        ...astana,
        city: 'Nur-Sultan',
        departureDate: '2022-09-26',
        version: 2,
        updatedAt: expect.any(String),
        notices: [],
      });
      expect({
        ...(await getStation(owner(desk), trip.id, astana.id)).station,
        notices: [],
      }).toEqual(renamed.body);

      const moved = await call(owner(desk), 'patch', `/trips/${trip.id}/stations/${tashkent.id}`, {
        position: 10,
      });
      expect(moved.status).toBe(200);
      expect((await listStations(owner(desk), trip.id)).items.map((item) => item.city)).toEqual([
        'Nur-Sultan',
        'Almaty',
        'Samarkand',
        'Tashkent',
      ]);

      const deleted = await call(owner(desk), 'delete', `/trips/${trip.id}/stations/${astana.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectProblem(
        await call(owner(desk), 'get', `/trips/${trip.id}/stations/${astana.id}`),
        404,
        'not_found',
      );
      expectProblem(
        await call(owner(desk), 'delete', `/trips/${trip.id}/stations/${astana.id}`),
        404,
        'not_found',
      );
      expect((await listStations(owner(desk), trip.id)).items.map((item) => item.city)).toEqual([
        'Almaty',
        'Samarkand',
        'Tashkent',
      ]);
    });

    it("a station of one trip is not found under another of the agency's trips", async () => {
      const [kasachstan, suedkorea] = await Promise.all([
        createTrip(t, owner(desk), KASACHSTAN),
        createTrip(t, owner(desk), SUEDKOREA),
      ]);
      const seoul = await addStation(t, owner(desk), suedkorea.id, SEOUL);
      const path = `/trips/${kasachstan.id}/stations/${seoul.id}`;
      expectProblem(await call(owner(desk), 'get', path), 404, 'not_found');
      expectProblem(await call(owner(desk), 'patch', path, { city: 'Busan' }), 404, 'not_found');
      expectProblem(await call(owner(desk), 'delete', path), 404, 'not_found');
      expect((await getStation(owner(desk), suedkorea.id, seoul.id)).station).toEqual(seoul);
    });

    const INVALID_STATIONS: [string, Body, string | string[]][] = [
      ['timezone UTC+6', { timezone: 'UTC+6' }, 'timezone'],
      ['timezone Mars/Olympus', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['a fixed offset as timezone', { timezone: '+06:00' }, 'timezone'],
      ['no timezone', { timezone: undefined }, 'timezone'],
      ['an unknown country', { country: 'XX' }, 'country'],
      ['no country', { country: undefined }, 'country'],
      ['no city', { city: undefined }, 'city'],
      ['a blank city', { city: '  ' }, 'city'],
      ['a city of 101 characters', { city: 'x'.repeat(101) }, 'city'],
      ['an arrival before the trip starts', { arrivalDate: '2022-09-24' }, 'arrivalDate'],
      ['a departure after the trip ends', { departureDate: '2022-10-03' }, 'departureDate'],
      [
        'arrival and departure after the trip ends',
        { arrivalDate: '2022-10-03', departureDate: '2022-10-04' },
        ['arrivalDate', 'departureDate'],
      ],
      [
        'a departure before the arrival',
        { arrivalDate: '2022-09-28', departureDate: '2022-09-27' },
        'departureDate',
      ],
      ['an arrivalDate that does not exist', { arrivalDate: '2022-09-31' }, 'arrivalDate'],
      ['no departureDate', { departureDate: undefined }, 'departureDate'],
      ['position 0', { position: 0 }, 'position'],
      ['a fractional position', { position: 1.5 }, 'position'],
      ['a tripId', { tripId: randomUUID() }, 'tripId'],
      ['an unknown field', { hotel: 'Rixos President' }, 'hotel'],
    ];

    describe('invalid station bodies', () => {
      let trip: TripBody;
      let almaty: StationBody;
      beforeAll(async () => {
        trip = await createTrip(t, owner(desk), KASACHSTAN);
        almaty = await addStation(t, owner(desk), trip.id, ALMATY);
      });

      it.each(named(INVALID_STATIONS))(
        'POST with %s is 400 naming %s',
        async (_, fields, change) => {
          const response = await call(owner(desk), 'post', `/trips/${trip.id}/stations`, {
            ...ASTANA,
            ...change,
          });
          expectInvalid(response, fields);
        },
      );

      it.each(
        named<Body, string>([
          ['a departure before the arrival', { departureDate: '2022-09-26' }, 'departureDate'],
          ['an arrival after the departure', { arrivalDate: '2022-09-30' }, 'departureDate'],
          ['an arrival before the trip', { arrivalDate: '2022-09-20' }, 'arrivalDate'],
          ['a departure after the trip', { departureDate: '2022-10-05' }, 'departureDate'],
          ['timezone UTC+6', { timezone: 'UTC+6' }, 'timezone'],
          ['a null city', { city: null }, 'city'],
          ['a null country', { country: null }, 'country'],
          ['a null arrivalDate', { arrivalDate: null }, 'arrivalDate'],
          ['a tripId', { tripId: randomUUID() }, 'tripId'],
        ]),
      )('PATCH with %s is 400 naming %s', async (_, field, body) => {
        expectInvalid(
          await call(owner(desk), 'patch', `/trips/${trip.id}/stations/${almaty.id}`, body),
          field,
        );
      });

      it('PATCH with a null position is a 400 or accepted, never a server error', async () => {
        const own = await createTrip(t, owner(desk), KASACHSTAN);
        const samarkand = await addStation(t, owner(desk), own.id, SAMARKAND);
        const path = `/trips/${own.id}/stations/${samarkand.id}`;
        const response = await call(owner(desk), 'patch', path, { position: null });
        expect(response.status).not.toBe(500);
        if (response.status === 400) {
          expectInvalid(response, 'position');
          expect((await getStation(owner(desk), own.id, samarkand.id)).station).toEqual(samarkand);
        } else {
          expect(response.status).toBe(200);
        }
      });

      it('the refused bodies changed nothing', async () => {
        const list = await listStations(owner(desk), trip.id);
        expect(list.items).toEqual([almaty]);
        expect((await getStation(owner(desk), trip.id, almaty.id)).etag).toBe('"1"');
      });
    });

    describe("the trip's dates and its stations", () => {
      let trip: TripBody;
      const station = {} as Record<string, StationBody>;
      beforeAll(async () => {
        trip = await createTrip(t, owner(desk), KASACHSTAN);
        for (const body of KASACHSTAN_STATIONS) {
          station[body.city] = await addStation(t, owner(desk), trip.id, body);
        }
      });

      it.each(
        named<Body, string[]>([
          ['ending a day earlier', { endDate: '2022-10-01' }, ['Samarkand']],
          ['starting on the 27th', { startDate: '2022-09-27' }, ['Astana']],
          [
            'starting a day later and ending a day earlier',
            { startDate: '2022-09-26', endDate: '2022-10-01' },
            ['Astana', 'Samarkand'],
          ],
          [
            'moving the whole trip a week later',
            { startDate: '2022-10-02', endDate: '2022-10-09' },
            ['Astana', 'Almaty', 'Tashkent', 'Samarkand'],
          ],
        ]),
      )('%s is 409 stations_outside_trip naming %j; nothing changes', async (_, cities, body) => {
        const before = await getTrip(owner(desk), trip.id);
        const response = await call(owner(desk), 'patch', `/trips/${trip.id}`, body);
        expectProblem(response, 409, 'stations_outside_trip');
        expect([...(response.body.stationIds as string[])].sort()).toEqual(
          cities.map((city) => station[city].id).sort(),
        );
        const after = await getTrip(owner(desk), trip.id);
        expect(after.trip).toEqual(before.trip);
        expect(after.etag).toBe(before.etag);
      });

      it('shortening a trip while a station is added on its last day: exactly one of them wins', async () => {
        const races = await Promise.all(
          Array.from({ length: 4 }, async () => {
            const own = await createTrip(t, owner(desk), KASACHSTAN);
            const [shorten, add] = await Promise.all([
              call(owner(desk), 'patch', `/trips/${own.id}`, { endDate: '2022-10-01' }),
              call(owner(desk), 'post', `/trips/${own.id}/stations`, SAMARKAND),
            ]);
            return { own, shorten, add };
          }),
        );
        for (const { own, shorten, add } of races) {
          if (shorten.status === 200) {
            expectInvalid(add, 'departureDate');
            expect(await stationCount(own.id)).toBe(0);
          } else {
            expectProblem(shorten, 409, 'stations_outside_trip');
            expect(add.status).toBe(201);
            expect(shorten.body.stationIds).toEqual([(add.body as StationBody).id]);
            expect((await getTrip(owner(desk), own.id)).trip.endDate).toBe('2022-10-02');
          }
        }
      });

      it('dates that keep every station inside are fine; after moving a station, so is a shorter trip', async () => {
        const widened = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
          startDate: '2022-09-24',
          endDate: '2022-10-03',
        });
        expect(widened.status).toBe(200);
        const narrowed = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
          startDate: '2022-09-25',
          endDate: '2022-10-02',
        });
        expect(narrowed.status).toBe(200);

        const samarkand = station.Samarkand;
        const moved = await call(
          owner(desk),
          'patch',
          `/trips/${trip.id}/stations/${samarkand.id}`,
          {
            departureDate: '2022-10-01',
          },
        );
        expect(moved.status).toBe(200);
        const shorter = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
          endDate: '2022-10-01',
        });
        expect(shorter.status).toBe(200);
        expect(shorter.body).toMatchObject({ startDate: '2022-09-25', endDate: '2022-10-01' });
        // A new station must now fit the shorter trip.
        expectInvalid(
          await call(owner(desk), 'post', `/trips/${trip.id}/stations`, {
            ...SAMARKAND,
            city: 'Buchara',
          }),
          'departureDate',
        );
      });
    });
  });

  describe('conditional requests', () => {
    it('trip: ETag, never 304 (its seats are live figures), stale If-Match 412 on PATCH, transitions and DELETE', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const path = `/trips/${trip.id}`;
      // The ETag names the version for If-Match; a matching If-None-Match still gets the
      // whole trip, since seats left and participant counts change without a new version.
      const current = await call(owner(desk), 'get', path).set('If-None-Match', '"1"');
      expect(current.status).toBe(200);
      expect(current.headers.etag).toBe('"1"');
      expect(current.body).toMatchObject({ id: trip.id, seatsLeft: KASACHSTAN.capacity });

      const patched = await call(owner(desk), 'patch', path, { capacity: 26 }).set(
        'If-Match',
        '"1"',
      );
      expect(patched.status).toBe(200);
      expect(patched.headers.etag).toBe('"2"');

      for (const request of [
        call(owner(desk), 'patch', path, { capacity: 27 }).set('If-Match', '"1"'),
        call(owner(desk), 'post', `${path}/transitions`, { to: 'planned' }).set('If-Match', '"1"'),
        call(owner(desk), 'delete', path).set('If-Match', '"1"'),
        call(owner(desk), 'patch', path, { capacity: 27 }).set('If-Match', 'version 2'),
      ]) {
        expectProblem(await request, 412, 'precondition_failed');
      }
      const { trip: after, etag } = await getTrip(owner(desk), trip.id);
      expect(etag).toBe('"2"');
      expect(after).toMatchObject({ capacity: 26, status: 'draft' });

      const planned = await call(owner(desk), 'post', `${path}/transitions`, { to: 'planned' }).set(
        'If-Match',
        '"2"',
      );
      expect(planned.status).toBe(200);
      expect(planned.headers.etag).toBe('"3"');
      const anything = await call(owner(desk), 'patch', path, { capacity: 28 }).set(
        'If-Match',
        '*',
      );
      expect(anything.status).toBe(200);
      expect(anything.headers.etag).toBe('"4"');

      const draft = await createTrip(t, owner(desk), KASACHSTAN);
      const removed = await call(owner(desk), 'delete', `/trips/${draft.id}`).set(
        'If-Match',
        '"1"',
      );
      expect(removed.status).toBe(204);
    });

    it('station: ETag, If-None-Match 304, stale If-Match 412 on PATCH and DELETE', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const astana = await addStation(t, owner(desk), trip.id, ASTANA);
      const path = `/trips/${trip.id}/stations/${astana.id}`;
      expect((await call(owner(desk), 'get', path).set('If-None-Match', '"1"')).status).toBe(304);
      expect((await call(owner(desk), 'get', path).set('If-None-Match', '"2"')).status).toBe(200);

      const patched = await call(owner(desk), 'patch', path, { city: 'Nur-Sultan' }).set(
        'If-Match',
        '"1"',
      );
      expect(patched.status).toBe(200);
      expect(patched.headers.etag).toBe('"2"');
      expectProblem(
        await call(owner(desk), 'patch', path, { city: 'Akmola' }).set('If-Match', '"1"'),
        412,
        'precondition_failed',
      );
      expectProblem(
        await call(owner(desk), 'delete', path).set('If-Match', '"1"'),
        412,
        'precondition_failed',
      );
      const { station, etag } = await getStation(owner(desk), trip.id, astana.id);
      expect(etag).toBe('"2"');
      expect(station.city).toBe('Nur-Sultan');
      expect((await call(owner(desk), 'delete', path).set('If-Match', '"2"')).status).toBe(204);
    });
  });

  describe('Idempotency-Key', () => {
    it('POST /trips with the same key and body replays the first answer; one trip exists', async () => {
      const key = randomUUID();
      const body = { ...ZENTRALASIEN, description: `Idempotent ${key}` };
      const before = await tripCount(desk);
      const first = await call(owner(desk), 'post', '/trips', body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await call(owner(desk), 'post', '/trips', body).set('Idempotency-Key', key);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await tripCount(desk)).toBe(before + 1);

      const other = await call(owner(desk), 'post', '/trips', { ...body, capacity: 21 }).set(
        'Idempotency-Key',
        key,
      );
      expectProblem(other, 422, 'idempotency_key_reused');
      expect(await tripCount(desk)).toBe(before + 1);
      const { trip } = await getTrip(owner(desk), (first.body as TripBody).id);
      expect(trip.capacity).toBe(20);
    });

    it('POST .../stations with the same key and body replays; another body is 422', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const key = randomUUID();
      const path = `/trips/${trip.id}/stations`;
      const first = await call(owner(desk), 'post', path, TASHKENT).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      const again = await call(owner(desk), 'post', path, TASHKENT).set('Idempotency-Key', key);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expectProblem(
        await call(owner(desk), 'post', path, SAMARKAND).set('Idempotency-Key', key),
        422,
        'idempotency_key_reused',
      );
      const list = await listStations(owner(desk), trip.id);
      expect(list.items.map((item) => item.id)).toEqual([(first.body as StationBody).id]);
    });

    it('a refused request releases its key, and another agency using the same key is no replay', async () => {
      const key = randomUUID();
      const refused = await call(owner(desk), 'post', '/trips', {
        ...SUEDKOREA,
        endDate: '2024-09-01',
      }).set('Idempotency-Key', key);
      expectInvalid(refused, 'endDate');
      const created = await call(owner(desk), 'post', '/trips', SUEDKOREA).set(
        'Idempotency-Key',
        key,
      );
      expect(created.status).toBe(201);
      expect(created.headers['idempotent-replayed']).toBeUndefined();

      const elsewhere = await call(owner(rival), 'post', '/trips', SUEDKOREA).set(
        'Idempotency-Key',
        key,
      );
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.headers['idempotent-replayed']).toBeUndefined();
      expect((elsewhere.body as TripBody).id).not.toBe((created.body as TripBody).id);
      await call(owner(rival), 'delete', `/trips/${(elsewhere.body as TripBody).id}`).expect(204);
    });
  });

  describe('roles and API key scopes', () => {
    type Caller =
      | 'owner'
      | 'admin'
      | 'organiser'
      | 'viewer'
      | 'trips:read key'
      | 'trips:write key'
      | 'directory:read key';
    const as = (caller: Caller): Headers => {
      switch (caller) {
        case 'owner':
          return owner(desk);
        case 'admin':
          return bearer(deskAdmin.accessToken);
        case 'organiser':
          return bearer(deskOrganiser.accessToken);
        case 'viewer':
          return bearer(deskViewer.accessToken);
        case 'trips:read key':
          return apiKey(keyWith['trips:read'].key);
        case 'trips:write key':
          return apiKey(keyWith['trips:write'].key);
        case 'directory:read key':
          return apiKey(keyWith['directory:read'].key);
      }
    };

    let trip: TripBody;
    let station: StationBody;
    let countBefore: number;
    beforeAll(async () => {
      trip = await createTrip(t, owner(desk), KASACHSTAN);
      station = await addStation(t, owner(desk), trip.id, ASTANA);
      countBefore = await tripCount(desk);
    });
    const fill = (path: string) => path.replace(':trip', trip.id).replace(':station', station.id);

    const READS = [
      '/trips',
      '/trips/:trip',
      '/trips/:trip/stations',
      '/trips/:trip/stations/:station',
    ];
    const WRITES: [Method, string, Body | undefined][] = [
      ['post', '/trips', ZENTRALASIEN],
      ['patch', '/trips/:trip', { capacity: 30 }],
      ['post', '/trips/:trip/transitions', { to: 'planned' }],
      ['delete', '/trips/:trip', undefined],
      ['post', '/trips/:trip/stations', ALMATY],
      ['patch', '/trips/:trip/stations/:station', { city: 'Nur-Sultan' }],
      ['delete', '/trips/:trip/stations/:station', undefined],
    ];
    const READERS: Caller[] = [
      'owner',
      'admin',
      'organiser',
      'viewer',
      'trips:read key',
      'trips:write key',
    ];

    it.each(READERS.flatMap((caller) => READS.map((path) => ({ caller, path }))))(
      '$caller may GET $path',
      async ({ caller, path }) => {
        expect((await call(as(caller), 'get', fill(path))).status).toBe(200);
      },
    );

    it.each(READS)('a key with only directory:read gets 403 on GET %s', async (path) => {
      const response = await call(as('directory:read key'), 'get', fill(path));
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toMatch(/trips:read or trips:write/);
    });

    it.each(
      (['viewer', 'trips:read key', 'directory:read key'] as Caller[]).flatMap((caller) =>
        WRITES.map(([method, path, body]) => ({ caller, method, path, body })),
      ),
    )('$caller gets 403 forbidden on $method $path', async ({ caller, method, path, body }) => {
      const response = await call(as(caller), method, fill(path), body);
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toMatch(caller === 'viewer' ? /\(viewer\)/ : /trips:write/);
    });

    it('the refused writes changed nothing', async () => {
      const { trip: after, etag } = await getTrip(owner(desk), trip.id);
      expect(etag).toBe('"1"');
      expect(after).toEqual(trip);
      expect((await listStations(owner(desk), trip.id)).items).toEqual([station]);
      expect(await tripCount(desk)).toBe(countBefore);
    });

    it('without credentials every route is 401', async () => {
      for (const path of READS) {
        expectProblem(await call({}, 'get', fill(path)), 401, 'authentication_required');
      }
      for (const [method, path, body] of WRITES) {
        expectProblem(await call({}, method, fill(path), body), 401, 'authentication_required');
      }
    });

    it.each(['owner', 'admin', 'organiser', 'trips:write key'] as Caller[])(
      '%s may plan, change, move along and delete trips and stations',
      async (caller) => {
        const headers = as(caller);
        const own = await createTrip(t, headers, KASACHSTAN);
        expect(
          (await call(headers, 'patch', `/trips/${own.id}`, { capacity: 30 })).body,
        ).toMatchObject({ capacity: 30 });
        const almaty = await addStation(t, headers, own.id, ALMATY);
        expect(
          (
            await call(headers, 'patch', `/trips/${own.id}/stations/${almaty.id}`, {
              departureDate: '2022-09-28',
            })
          ).status,
        ).toBe(200);
        expect(
          (await call(headers, 'delete', `/trips/${own.id}/stations/${almaty.id}`)).status,
        ).toBe(204);
        expect((await call(headers, 'delete', `/trips/${own.id}`)).status).toBe(204);

        const planned = await moveTrip(t, headers, await createTrip(t, headers, ZENTRALASIEN), [
          'planned',
        ]);
        expect(planned.status).toBe('planned');
      },
    );
  });

  describe('tenant isolation', () => {
    let mine: { trip: TripBody; station: StationBody };
    let theirs: { trip: TripBody; station: StationBody };
    beforeAll(async () => {
      const [myTrip, theirTrip] = await Promise.all([
        createTrip(t, owner(desk), KASACHSTAN),
        createTrip(t, owner(rival), KASACHSTAN),
      ]);
      const [myStation, theirStation] = await Promise.all([
        addStation(t, owner(desk), myTrip.id, ASTANA),
        addStation(t, owner(rival), theirTrip.id, ASTANA),
      ]);
      mine = { trip: myTrip, station: myStation };
      theirs = { trip: theirTrip, station: theirStation };
    });

    const ROUTES: [Method, string, Body | undefined][] = [
      ['get', '/trips/:trip', undefined],
      ['patch', '/trips/:trip', { capacity: 1 }],
      ['delete', '/trips/:trip', undefined],
      ['post', '/trips/:trip/transitions', { to: 'cancelled' }],
      ['get', '/trips/:trip/stations', undefined],
      ['post', '/trips/:trip/stations', ALMATY],
      ['get', '/trips/:trip/stations/:station', undefined],
      ['patch', '/trips/:trip/stations/:station', { city: 'Nur-Sultan' }],
      ['delete', '/trips/:trip/stations/:station', undefined],
    ];
    const STATION_ROUTES = ROUTES.filter(([, path]) => path.includes(':station'));
    const fill = (path: string, trip: string, station: string) =>
      path.replace(':trip', trip).replace(':station', station);
    const essence = (response: Response) => ({
      status: response.status,
      code: response.body.code as string,
      detail: response.body.detail as string,
      title: response.body.title as string,
      type: response.body.type as string,
    });

    it.each(ROUTES)(
      "%s %s with the other agency's ids is 404 not_found, exactly as for unknown ids",
      async (method, path, body) => {
        const foreign = await call(
          owner(desk),
          method,
          fill(path, theirs.trip.id, theirs.station.id),
          body,
        );
        const unknown = await call(
          owner(desk),
          method,
          fill(path, randomUUID(), randomUUID()),
          body,
        );
        expectProblem(foreign, 404, 'not_found');
        expect(essence(foreign)).toEqual(essence(unknown));

        const byKey = await call(
          apiKey(keyWith['trips:write'].key),
          method,
          fill(path, theirs.trip.id, theirs.station.id),
          body,
        );
        expectProblem(byKey, 404, 'not_found');
      },
    );

    it.each(STATION_ROUTES)(
      "%s %s with the other agency's station under one's own trip is 404, as for an unknown station",
      async (method, path, body) => {
        const foreign = await call(
          owner(desk),
          method,
          fill(path, mine.trip.id, theirs.station.id),
          body,
        );
        const unknown = await call(
          owner(desk),
          method,
          fill(path, mine.trip.id, randomUUID()),
          body,
        );
        expectProblem(foreign, 404, 'not_found');
        expect(essence(foreign)).toEqual(essence(unknown));
      },
    );

    it.each(STATION_ROUTES)(
      "%s %s with one's own station under the other agency's trip is 404",
      async (method, path, body) => {
        const response = await call(
          owner(desk),
          method,
          fill(path, theirs.trip.id, mine.station.id),
          body,
        );
        expectProblem(response, 404, 'not_found');
        expect((await getStation(owner(desk), mine.trip.id, mine.station.id)).station).toEqual(
          mine.station,
        );
      },
    );

    it("the other agency's trip and station are untouched, and no listing shows them", async () => {
      const { trip, etag } = await getTrip(owner(rival), theirs.trip.id);
      expect(etag).toBe('"1"');
      expect(trip).toEqual(theirs.trip);
      expect((await listStations(owner(rival), theirs.trip.id)).items).toEqual([theirs.station]);

      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await call(
          owner(desk),
          'get',
          `/trips?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(response.status).toBe(200);
        const page = response.body as PageBody<TripBody>;
        ids.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(ids).toContain(mine.trip.id);
      expect(ids).not.toContain(theirs.trip.id);
      const byCountry = await listTrips(owner(desk), { country: 'KZ', year: 2022, limit: 200 });
      expect(byCountry.items.map((item) => item.id)).not.toContain(theirs.trip.id);
    });

    it('a malformed id is 400 naming the parameter, not 404', async () => {
      expectInvalid(await call(owner(desk), 'get', '/trips/kasachstan-2022'), 'id');
      expectInvalid(
        await call(owner(desk), 'post', '/trips/kasachstan-2022/transitions', { to: 'planned' }),
        'id',
      );
      expectInvalid(
        await call(owner(desk), 'get', `/trips/${mine.trip.id}/stations/astana`),
        'stationId',
      );
    });
  });

  describe('deleting', () => {
    it('a draft trip is deleted with its stations (204); afterwards every route is 404', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const [astana] = await Promise.all([
        addStation(t, owner(desk), trip.id, { ...ASTANA, position: 1 }),
        addStation(t, owner(desk), trip.id, { ...ALMATY, position: 2 }),
      ]);
      expect(await stationCount(trip.id)).toBe(2);

      const deleted = await call(owner(desk), 'delete', `/trips/${trip.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect(await stationCount(trip.id)).toBe(0);
      for (const [method, path] of [
        ['get', `/trips/${trip.id}`],
        ['delete', `/trips/${trip.id}`],
        ['get', `/trips/${trip.id}/stations`],
        ['get', `/trips/${trip.id}/stations/${astana.id}`],
      ] as [Method, string][]) {
        expectProblem(await call(owner(desk), method, path), 404, 'not_found');
      }
    });

    it.each(STATUSES.filter((status) => status !== 'draft'))(
      'a trip that is %s cannot be deleted: 409 trip_not_draft, trip and stations stay',
      async (status) => {
        const created = await createTrip(t, owner(desk), KASACHSTAN);
        await addStation(t, owner(desk), created.id, ASTANA);
        const trip = await moveTrip(t, owner(desk), created, ROUTE_TO[status]);
        const response = await call(owner(desk), 'delete', `/trips/${trip.id}`);
        expectProblem(response, 409, 'trip_not_draft');
        expect(response.body.detail).toContain(status);
        expect((await getTrip(owner(desk), trip.id)).trip).toEqual(trip);
        expect(await stationCount(trip.id)).toBe(1);
      },
    );

    it('a partner organisation co-organising a trip cannot be deleted (409 in_use) until the trip lets go', async () => {
      const [bayern, jena] = (
        await Promise.all([
          createOrganisation(t, desk, { name: 'Bayern International', kind: 'agency' }),
          createOrganisation(t, desk, { name: 'JenaWirtschaft', kind: 'agency' }),
        ])
      ).map((organisation) => organisation.id);
      const trip = await moveTrip(
        t,
        owner(desk),
        await createTrip(t, owner(desk), { ...SUEDKOREA, coOrganiserIds: [bayern, gtai] }),
        ['planned'],
      );
      const draft = await createTrip(t, owner(desk), { ...SUEDKOREA, coOrganiserIds: [jena] });

      for (const id of [bayern, jena]) {
        expectProblem(
          await call(owner(desk), 'delete', `/partner-organisations/${id}`),
          409,
          'in_use',
        );
        expect((await call(owner(desk), 'get', `/partner-organisations/${id}`)).status).toBe(200);
      }
      expect([...(await getTrip(owner(desk), trip.id)).trip.coOrganiserIds].sort()).toEqual(
        [bayern, gtai].sort(),
      );

      const released = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
        coOrganiserIds: [gtai],
      });
      expect(released.status).toBe(200);
      expect(released.body.coOrganiserIds).toEqual([gtai]);
      expect((await call(owner(desk), 'delete', `/partner-organisations/${bayern}`)).status).toBe(
        204,
      );
      // Deleting the draft trip releases its co-organisers too.
      expect((await call(owner(desk), 'delete', `/trips/${draft.id}`)).status).toBe(204);
      expect((await call(owner(desk), 'delete', `/partner-organisations/${jena}`)).status).toBe(
        204,
      );
    });

    it('a contact leading a trip cannot be deleted (409 in_use) until the trip lets go', async () => {
      const { id: minister } = await createContact(t, desk, {
        title: 'Prof. Dr.',
        firstName: 'Ralf',
        lastName: 'Möller',
        position: 'Minister für Wirtschaft',
        email: undefined,
      });
      const trip = await createTrip(t, owner(desk), {
        ...ZENTRALASIEN,
        leadContactId: minister,
        leadRole: 'Leiter der Delegation',
      });
      expectProblem(await call(owner(desk), 'delete', `/contacts/${minister}`), 409, 'in_use');
      expect((await call(owner(desk), 'get', `/contacts/${minister}`)).status).toBe(200);
      expect((await getTrip(owner(desk), trip.id)).trip.leadContactId).toBe(minister);

      const released = await call(owner(desk), 'patch', `/trips/${trip.id}`, {
        leadContactId: null,
        leadRole: null,
      });
      expect(released.status).toBe(200);
      expect((await call(owner(desk), 'delete', `/contacts/${minister}`)).status).toBe(204);
    });
  });

  describe('audit trail', () => {
    it('records trip.created, trip.updated (before/after), trip.status_changed and trip.deleted, by whom', async () => {
      const trip = await createTrip(t, owner(desk), ZENTRALASIEN);
      const patched = await call(bearer(deskAdmin.accessToken), 'patch', `/trips/${trip.id}`, {
        capacity: 24,
        leadRole: 'Leiterin der Delegation',
        countries: ['kz', 'uz', 'kg'],
      });
      expect(patched.status).toBe(200);
      await moveTrip(t, bearer(deskOrganiser.accessToken), trip, ['planned']);
      await moveTrip(t, apiKey(keyWith['trips:write'].key), trip, ['cancelled']);

      const events = await auditEvents(desk, { entityType: 'trip', entityId: trip.id });
      expect(events.map((event) => [event.action, event.actorType, event.actorId])).toEqual([
        ['trip.status_changed', 'api_key', keyWith['trips:write'].id],
        ['trip.status_changed', 'user', deskOrganiser.id],
        ['trip.updated', 'user', deskAdmin.id],
        ['trip.created', 'user', desk.owner.id],
      ]);
      const [cancelled, planned, updated, created] = events;
      expect(cancelled.changes).toEqual({ status: { before: 'planned', after: 'cancelled' } });
      expect(planned.changes).toEqual({ status: { before: 'draft', after: 'planned' } });
      expect(updated.changes).toEqual({
        capacity: { before: 20, after: 24 },
        leadRole: { before: null, after: 'Leiterin der Delegation' },
      });
      expect(created.changes).toMatchObject({
        title: { before: null, after: 'Delegationsreise Zentralasien' },
        kind: { before: null, after: 'delegation' },
        startDate: { before: null, after: '2023-04-23' },
        endDate: { before: null, after: '2023-04-29' },
        capacity: { before: null, after: 20 },
      });
      for (const event of events) expect(event.entityType).toBe('trip');

      const draft = await createTrip(t, owner(desk), KASACHSTAN);
      expect(
        (await call(bearer(deskAdmin.accessToken), 'delete', `/trips/${draft.id}`)).status,
      ).toBe(204);
      const gone = await auditEvents(desk, { entityType: 'trip', entityId: draft.id });
      expect(gone.map((event) => [event.action, event.actorId])).toEqual([
        ['trip.deleted', deskAdmin.id],
        ['trip.created', desk.owner.id],
      ]);
    });

    it('records station.created, station.updated and station.deleted', async () => {
      const trip = await createTrip(t, owner(desk), KASACHSTAN);
      const astana = await addStation(t, bearer(deskOrganiser.accessToken), trip.id, ASTANA);
      const path = `/trips/${trip.id}/stations/${astana.id}`;
      expect((await call(owner(desk), 'patch', path, { city: 'Nur-Sultan' })).status).toBe(200);
      expect((await call(bearer(deskAdmin.accessToken), 'delete', path)).status).toBe(204);

      const events = await auditEvents(desk, { entityType: 'station', entityId: astana.id });
      expect(events.map((event) => [event.action, event.actorId])).toEqual([
        ['station.deleted', deskAdmin.id],
        ['station.updated', desk.owner.id],
        ['station.created', deskOrganiser.id],
      ]);
      expect(events[1].changes).toEqual({ city: { before: 'Astana', after: 'Nur-Sultan' } });
      expect(events[2].changes).toMatchObject({
        city: { before: null, after: 'Astana' },
        country: { before: null, after: 'KZ' },
        timezone: { before: null, after: 'Asia/Almaty' },
        tripId: { before: null, after: trip.id },
        position: { before: null, after: 1 },
      });
    });

    it('refused and empty changes record nothing', async () => {
      const trip = await createTrip(t, owner(desk), ZENTRALASIEN);
      expect((await call(owner(desk), 'patch', `/trips/${trip.id}`, { capacity: 20 })).status).toBe(
        200,
      );
      expectInvalid(
        await call(owner(desk), 'patch', `/trips/${trip.id}`, { endDate: '2023-04-01' }),
        'endDate',
      );
      expectProblem(await transition(owner(desk), trip.id, 'completed'), 409, 'illegal_transition');
      expectProblem(
        await call(bearer(deskViewer.accessToken), 'patch', `/trips/${trip.id}`, { capacity: 2 }),
        403,
        'forbidden',
      );
      const events = await auditEvents(desk, { entityType: 'trip', entityId: trip.id });
      expect(events.map((event) => event.action)).toEqual(['trip.created']);
    });
  });
});
