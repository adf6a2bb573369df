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
  addParticipant,
  createContact,
  createOrganisation,
  enrol,
  enrolInTurn,
  MEMBER,
  moveTrip,
  type ParticipantBody,
  tag,
  tripBody,
  tripIn,
  type TripStatus,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const STATUSES = [
  'applied',
  'confirmed',
  'waitlisted',
  'rejected',
  'cancelled',
  'attended',
  'no_show',
] as const;
type Status = (typeof STATUSES)[number];

/**
 * The participant lifecycle as DESIGN §2 promises it (plus an applicant's
 * withdrawal, issue 6), written out here rather than imported.
 */
const NEXT: Record<Status, Status[]> = {
  applied: ['confirmed', 'waitlisted', 'rejected', 'cancelled'],
  waitlisted: ['confirmed', 'cancelled'],
  confirmed: ['cancelled', 'attended', 'no_show'],
  rejected: [],
  cancelled: [],
  attended: [],
  no_show: [],
};

/** Every (from, to) pair the lifecycle refuses, self-transitions included. */
const ILLEGAL = STATUSES.flatMap((from) =>
  STATUSES.filter((to) => !NEXT[from].includes(to)).map((to) => ({ from, to })),
);

interface TripBody {
  id: string;
  status: TripStatus;
  capacity: number;
  seatsPerOrganisation: number | null;
  waitlistPolicy: string;
  approvalRequired: boolean;
  participantCounts: Record<string, number>;
  seatsLeft: number;
  version: number;
}

interface ContactBody {
  id: string;
  partnerOrganisationId: string | null;
  firstName: string | null;
  lastName: string;
  email: string | null;
  version: number;
}

/** [label, body, field] rows as [label, field, body], so titles read "with <label> is 400 naming <field>". */
const named = <B, F>(rows: [string, B, F][]) =>
  rows.map(([label, body, field]): [string, F, B] => [label, field, body]);

const byRegistration = (a: ParticipantBody, b: ParticipantBody) =>
  a.registeredAt === b.registeredAt
    ? a.id < b.id
      ? -1
      : 1
    : a.registeredAt < b.registeredAt
      ? -1
      : 1;

/**
 * The delegation list through HTTP against real PostgreSQL: registration,
 * capacity and the group-aware waitlist (also under 50 concurrent
 * registrations), the participant lifecycle, filters and paging, ETags,
 * Idempotency-Key, roles and scopes, tenant isolation and the audit trail.
 */
describe('participants', () => {
  let t: TestApp;
  /** The main agency. */
  let desk: Agency;
  let deskOrganiser: Staff;
  let deskViewer: Staff;
  type KeyScope = 'participants:read' | 'participants:write' | 'trips:read';
  const keyWith = {} as Record<KeyScope, { id: string; key: string }>;
  /** desk's partner organisations: companies and institutes that send representatives. */
  let petkus: string;
  let titk: string;
  let ebz: string;
  /** Look-alike agency; its trips, participants, contacts and organisations stay invisible to desk. */
  let rival: Agency;
  let rivalOrganisation: string;
  let rivalContact: string;

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const owner = (agency: Agency = desk): Headers => bearer(agency.owner.accessToken);
  const apiKey = (key: string): Headers => ({ 'X-API-Key': key });
  const participantsOf = (tripId: string) => `/trips/${tripId}/participants`;
  const participantPath = (p: { tripId: string; id: string }) =>
    `/trips/${p.tripId}/participants/${p.id}`;

  /** A 400 whose `errors` name exactly `fields` (and nothing else). */
  function expectInvalid(response: Response, fields: string | string[]) {
    expectProblem(response, 400, 'validation_failed');
    const errors = response.body.errors as FieldErrorBody[];
    expect(errors.length).toBeGreaterThan(0);
    expect([...new Set(errors.map((error) => error.field))].sort()).toEqual([fields].flat().sort());
    for (const error of errors) expect(typeof error.message).toBe('string');
  }

  async function getContact(id: string): Promise<ContactBody> {
    const response = await call(owner(), 'get', `/contacts/${id}`);
    expect(response.status).toBe(200);
    return response.body as ContactBody;
  }

  /** A trip of `agency` open for registration: the demo trip KASACHSTAN with `fields`. */
  const openTrip = (fields: Body = {}, agency: Agency = desk) =>
    tripIn(t, agency, 'registration_open', tripBody(fields));

  async function getTrip(tripId: string, agency: Agency = desk) {
    const response = await call(owner(agency), 'get', `/trips/${tripId}`);
    expect(response.status).toBe(200);
    return { trip: response.body as TripBody, etag: String(response.headers.etag) };
  }

  /** What the trip shows about its seats: counts by status (exactly) and seats left. */
  async function expectSeats(
    tripId: string,
    participantCounts: Record<string, number>,
    seatsLeft: number,
  ) {
    const { trip } = await getTrip(tripId);
    expect(trip).toMatchObject({ seatsLeft });
    expect(trip.participantCounts).toEqual(participantCounts);
  }

  const register = (tripId: string, body: Body, headers: Headers = owner()) =>
    call(headers, 'post', participantsOf(tripId), body);

  async function getParticipant(p: { tripId: string; id: string }, headers: Headers = owner()) {
    const response = await call(headers, 'get', participantPath(p));
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe(`"${(response.body as ParticipantBody).version}"`);
    return { participant: response.body as ParticipantBody, etag: String(response.headers.etag) };
  }

  const move = (p: { tripId: string; id: string }, to: string, headers: Headers = owner()) =>
    call(headers, 'post', `${participantPath(p)}/transitions`, { to });

  /** Moves a participant and expects 200; returns the participant as the answer shows it. */
  async function moved(p: { tripId: string; id: string }, to: Status): Promise<ParticipantBody> {
    const response = await move(p, to);
    expect(response.status).toBe(200);
    return response.body as ParticipantBody;
  }

  async function listPage(tripId: string, query: Record<string, string | number> = {}) {
    const response = await t
      .http()
      .get(`/api/v1${participantsOf(tripId)}`)
      .query({ limit: 200, ...query })
      .set(owner());
    expect(response.status).toBe(200);
    return response.body as PageBody<ParticipantBody>;
  }

  /** Every participant of the trip matching `query`, following the cursor. */
  async function listAll(
    tripId: string,
    query: Record<string, string | number> = {},
  ): Promise<ParticipantBody[]> {
    const all: ParticipantBody[] = [];
    let cursor: string | null = null;
    do {
      const page: PageBody<ParticipantBody> = await listPage(tripId, {
        ...query,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** Status and waitlist position of each participant, as the delegation list shows them. */
  async function line(tripId: string): Promise<Map<string, [Status, number | null]>> {
    return new Map(
      (await listAll(tripId)).map((p): [string, [Status, number | null]] => [
        p.id,
        [p.status, p.waitlistPosition],
      ]),
    );
  }

  /** Expects each participant in `expected` to have that status and waitlist position. */
  async function expectLine(tripId: string, expected: [ParticipantBody, Status, number | null][]) {
    const now = await line(tripId);
    expect(expected.map(([p]) => now.get(p.id))).toEqual(
      expected.map(([, status, position]) => [status, position]),
    );
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

  async function count(table: 'participants' | 'contacts', tenantId: string): Promise<number> {
    const [row] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM ${table} WHERE tenant_id = $1`,
      [tenantId],
    );
    return row.count;
  }

  beforeAll(async () => {
    t = await startTestApp();
    [desk, rival] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
    ]);
    const scopes: KeyScope[] = ['participants:read', 'participants:write', 'trips:read'];
    const [organiser, viewer, keys, organisations, rivalIds] = await Promise.all([
      addStaff(t, desk, 'organiser', 'Jonas Becker'),
      addStaff(t, desk, 'viewer', 'Lena Hoffmann'),
      Promise.all(scopes.map((scope) => addApiKey(t, desk, [scope], { name: `Only ${scope}` }))),
      Promise.all([
        createOrganisation(t, desk, {
          name: 'Petkus Technologie GmbH',
          kind: 'company',
          country: 'DE',
          city: 'Wutha-Farnroda',
        }),
        createOrganisation(t, desk, {
          name: 'Thüringisches Institut für Textil- und Kunststoff-Forschung e.V.',
          shortName: 'TITK',
          kind: 'research_institute',
          country: 'DE',
          city: 'Rudolstadt',
        }),
        createOrganisation(t, desk, {
          name: 'Erfurt Bildungszentrum gGmbH',
          kind: 'company',
          country: 'DE',
          city: 'Erfurt',
        }),
      ]),
      Promise.all([
        createOrganisation(t, rival, {
          name: 'Petkus Technologie GmbH',
          kind: 'company',
          country: 'DE',
        }),
        createContact(t, rival),
      ]),
    ]);
    [deskOrganiser, deskViewer] = [organiser, viewer];
    scopes.forEach((scope, index) => (keyWith[scope] = keys[index]));
    [petkus, titk, ebz] = organisations.map((organisation) => organisation.id);
    [rivalOrganisation, rivalContact] = rivalIds.map((record) => record.id);
  });

  afterAll(() => t.close());

  describe('registering', () => {
    it('POST registers a contact: confirmed into a free seat, with defaults; GET shows the same with an ETag', async () => {
      const trip = await openTrip({ capacity: 25 });
      const { id: contactId } = await createContact(t, desk, { partnerOrganisationId: petkus });
      const response = await register(trip.id, { contactId, role: 'member', category: 'business' });
      expect(response.status).toBe(201);
      const participant = response.body as ParticipantBody;
      expect(participant).toEqual({
        id: expect.any(String),
        tripId: trip.id,
        contactId,
        organisationId: petkus,
        role: 'member',
        category: 'business',
        status: 'confirmed',
        waitlistPosition: null,
        registeredAt: expect.any(String),
        statusChangedAt: expect.any(String),
        dietaryNeeds: null,
        accessibilityNeeds: null,
        arrival: null,
        departure: null,
        visaRequired: false,
        visaStatus: 'not_needed',
        answers: {},
        notes: null,
        consentAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
      });
      expect(response.headers.etag).toBe('"1"');

      const { participant: read, etag } = await getParticipant(participant);
      expect(etag).toBe('"1"');
      expect(read).toEqual(participant);
      expect(await listAll(trip.id)).toEqual([participant]);
      await expectSeats(trip.id, { confirmed: 1 }, 24);
    });

    it('POST takes every field of the registration', async () => {
      const trip = await openTrip();
      const body = {
        contactId: (await createContact(t, desk)).id,
        organisationId: titk,
        role: 'delegation_lead',
        category: 'science',
        dietaryNeeds: 'vegetarisch',
        accessibilityNeeds: 'Rollstuhl',
        arrival: 'LH 5670, 25.09. 06:10 Astana',
        departure: 'TK 371, 02.10. 09:55 Samarkand',
        visaRequired: true,
        visaStatus: 'to_apply',
        answers: { hotelRoom: 'single', sectors: ['textile technology'] },
        notes: 'Leitet die Forschungsgruppe Funktionspolymere.',
      };
      const participant = await addParticipant(t, desk, trip.id, body);
      expect(participant).toMatchObject({ ...body, status: 'confirmed', version: 1 });
      expect((await getParticipant(participant)).participant).toEqual(participant);
    });

    it('organisationId defaults to the contact’s organisation; explicit values (and null) win', async () => {
      const trip = await openTrip();
      const [atPetkus, alsoAtPetkus, alone] = (
        await Promise.all([
          createContact(t, desk, { partnerOrganisationId: petkus }),
          createContact(t, desk, { partnerOrganisationId: petkus }),
          createContact(t, desk),
        ])
      ).map((contact) => contact.id);
      expect((await addParticipant(t, desk, trip.id, { contactId: atPetkus })).organisationId).toBe(
        petkus,
      );
      expect(
        (await addParticipant(t, desk, trip.id, { contactId: alsoAtPetkus, organisationId: ebz }))
          .organisationId,
      ).toBe(ebz);
      expect(
        (await addParticipant(t, desk, trip.id, { contactId: alone })).organisationId,
      ).toBeNull();
      const other = await openTrip();
      expect(
        (await addParticipant(t, desk, other.id, { contactId: atPetkus, organisationId: null }))
          .organisationId,
      ).toBe(null);
    });

    it('an inline contact whose email is known (in any letter case) is that contact; nothing new is created', async () => {
      const trip = await openTrip();
      const id = tag();
      const email = `gulnara.${id}@university.example.uz`;
      const { id: known } = await createContact(t, desk, {
        firstName: 'Gulnara',
        lastName: 'Abdullaeva',
        email,
        partnerOrganisationId: titk,
      });
      const contactsBefore = await count('contacts', desk.tenantId);

      const response = await register(trip.id, {
        ...MEMBER,
        contact: { firstName: 'G.', lastName: 'Abdullayeva', email: email.toUpperCase() },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ contactId: known, organisationId: titk });
      expect(await count('contacts', desk.tenantId)).toBe(contactsBefore);
      expect(await getContact(known)).toMatchObject({
        firstName: 'Gulnara',
        lastName: 'Abdullaeva',
        email,
        version: 1,
      });
    });

    it('an inline contact with a new email (or none) is added to the directory and registered', async () => {
      const trip = await openTrip();
      const email = `marat.${tag()}@atameken.example.kz`;
      const contactsBefore = await count('contacts', desk.tenantId);

      const response = await register(trip.id, {
        role: 'guest',
        category: 'politics',
        contact: {
          title: 'Dr.',
          firstName: 'Marat',
          lastName: 'Zhaksylykov',
          email,
          partnerOrganisationId: ebz,
        },
      });
      expect(response.status).toBe(201);
      const participant = response.body as ParticipantBody;
      expect(participant).toMatchObject({ organisationId: ebz, status: 'confirmed' });
      expect(await getContact(participant.contactId)).toMatchObject({
        firstName: 'Marat',
        lastName: 'Zhaksylykov',
        email,
        partnerOrganisationId: ebz,
      });

      const withoutEmail = await register(trip.id, {
        ...MEMBER,
        contact: { firstName: 'Dilnoza', lastName: 'Yusupova' },
      });
      expect(withoutEmail.status).toBe(201);
      expect(await getContact((withoutEmail.body as ParticipantBody).contactId)).toMatchObject({
        lastName: 'Yusupova',
        email: null,
      });
      expect(await count('contacts', desk.tenantId)).toBe(contactsBefore + 2);
    });

    it('a contact is on a trip at most once: 409 already_on_trip, by id, by email, even after cancelling', async () => {
      const trip = await openTrip();
      const email = `timur.${tag()}@example.org`;
      const { id: contactId } = await createContact(t, desk, { email });
      const first = await addParticipant(t, desk, trip.id, { contactId: contactId });

      const again = await register(trip.id, { contactId, role: 'guest', category: 'other' });
      expectProblem(again, 409, 'already_on_trip');
      expect(again.body.contactId).toBe(contactId);
      expectProblem(
        await register(trip.id, { ...MEMBER, contact: { lastName: 'Ivanov', email } }),
        409,
        'already_on_trip',
      );
      await moved(first, 'cancelled');
      expectProblem(await register(trip.id, { contactId, ...MEMBER }), 409, 'already_on_trip');
      expect((await listAll(trip.id)).map((p) => p.id)).toEqual([first.id]);
      await expectSeats(trip.id, { cancelled: 1 }, 25);

      const otherTrip = await openTrip();
      expect(
        (await addParticipant(t, desk, otherTrip.id, { contactId: contactId })).contactId,
      ).toBe(contactId);
    });

    it('the same contact registered twice at once: one 201, one 409; one participant', async () => {
      const trip = await openTrip();
      const contactId = (await createContact(t, desk)).id;
      const responses = await Promise.all([
        register(trip.id, { contactId, ...MEMBER }),
        register(trip.id, { contactId, ...MEMBER }),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(responses.find((r) => r.status === 409)?.body.code).toBe('already_on_trip');
      expect(await listAll(trip.id)).toHaveLength(1);
    });

    it.each(['completed', 'cancelled'] as TripStatus[])(
      'a %s trip takes no registrations: 409 trip_closed, nothing created',
      async (status) => {
        const trip = await tripIn(t, desk, status);
        const before = await count('participants', desk.tenantId);
        const response = await register(trip.id, {
          contactId: (await createContact(t, desk)).id,
          ...MEMBER,
        });
        expectProblem(response, 409, 'trip_closed');
        expect(await count('participants', desk.tenantId)).toBe(before);
      },
    );

    it('a cached trip is never confirmed with stale seats: If-None-Match gets the fresh figures', async () => {
      const trip = await openTrip({ capacity: 3 });
      const before = await getTrip(trip.id);
      expect(before.trip.seatsLeft).toBe(3);
      await enrol(t, desk, trip.id);
      const again = await call(owner(), 'get', `/trips/${trip.id}`).set(
        'If-None-Match',
        before.etag,
      );
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ seatsLeft: 2, participantCounts: { confirmed: 1 } });
      // The trip itself did not change: its ETag (for If-Match) is the same.
      expect(again.headers.etag).toBe(before.etag);
    });

    it('on a cancelled trip the waiting list is frozen: a freed seat promotes nobody', async () => {
      const trip = await openTrip({ capacity: 1 });
      const [seated, waiting] = await enrolInTurn(t, desk, trip.id, [{}, {}]);
      expect(waiting.status).toBe('waitlisted');
      await moveTrip(t, desk, trip, ['cancelled']);
      await moved(seated, 'cancelled');
      const { participant } = await getParticipant(waiting);
      expect(participant).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    });

    describe('refused registrations create nothing', () => {
      let trip: TripBody;
      let contactId: string;
      let before: { participants: number; contacts: number };
      beforeAll(async () => {
        trip = await openTrip();
        contactId = (await createContact(t, desk)).id;
        before = {
          participants: await count('participants', desk.tenantId),
          contacts: await count('contacts', desk.tenantId),
        };
      });

      const INVALID: [string, Body, string | string[]][] = [
        ['no role', { role: undefined }, 'role'],
        ['an unknown role', { role: 'boss' }, 'role'],
        ['no category', { category: undefined }, 'category'],
        ['an unknown category', { category: 'sports' }, 'category'],
        ['a contactId that is no uuid', { contactId: 'Sadykova' }, 'contactId'],
        ['an organisationId that is no uuid', { organisationId: 'Petkus' }, 'organisationId'],
        ['an unknown visaStatus', { visaStatus: 'maybe' }, 'visaStatus'],
        ['visaRequired as a string', { visaRequired: 'yes' }, 'visaRequired'],
        ['answers as a string', { answers: 'single room' }, 'answers'],
        ['dietaryNeeds of 501 characters', { dietaryNeeds: 'x'.repeat(501) }, 'dietaryNeeds'],
        ['a status (read-only)', { status: 'confirmed' }, 'status'],
        ['a waitlistPosition (read-only)', { waitlistPosition: 1 }, 'waitlistPosition'],
        ['a registeredAt (read-only)', { registeredAt: '2022-01-01T00:00:00Z' }, 'registeredAt'],
        ['an unknown field', { hotel: 'Rixos' }, 'hotel'],
        [
          'an inline contact without lastName',
          { contactId: undefined, contact: { firstName: 'Aigerim' } },
          'contact.lastName',
        ],
        [
          'an inline contact with a broken email',
          { contactId: undefined, contact: { lastName: 'Sadykova', email: 'aigerim@' } },
          'contact.email',
        ],
        ['neither contactId nor contact', { contactId: undefined }, 'contactId'],
        [
          'both contactId and contact',
          { contact: { lastName: 'Sadykova', email: `both.${tag()}@example.org` } },
          'contact',
        ],
        ['an unknown contactId', { contactId: randomUUID() }, 'contactId'],
        ['an unknown organisationId', { organisationId: randomUUID() }, 'organisationId'],
        [
          'an inline contact and an unknown organisationId',
          {
            contactId: undefined,
            contact: { lastName: 'Nurpeisova', email: `new.${tag()}@example.org` },
            organisationId: randomUUID(),
          },
          'organisationId',
        ],
        [
          'an inline contact at an unknown organisation',
          {
            contactId: undefined,
            contact: {
              lastName: 'Nurpeisova',
              email: `new.${tag()}@example.org`,
              partnerOrganisationId: randomUUID(),
            },
          },
          'contact.partnerOrganisationId',
        ],
      ];

      it.each(named(INVALID))('with %s is 400 naming %s', async (_, field, change) => {
        const response = await register(trip.id, { contactId, ...MEMBER, ...change });
        expectInvalid(response, field);
      });

      it("another agency's contact or organisation is refused exactly like an unknown one", async () => {
        const essence = (response: Response) => ({
          status: response.status,
          body: response.body as unknown,
        });
        const foreignContact = await register(trip.id, { contactId: rivalContact, ...MEMBER });
        expectInvalid(foreignContact, 'contactId');
        expect(essence(foreignContact)).toEqual(
          essence(await register(trip.id, { contactId: randomUUID(), ...MEMBER })),
        );
        const unknownOrganisation = randomUUID();
        const foreignOrganisation = await register(trip.id, {
          contactId,
          ...MEMBER,
          organisationId: rivalOrganisation,
        });
        expectInvalid(foreignOrganisation, 'organisationId');
        expect(foreignOrganisation.body.errors).toEqual(
          (
            await register(trip.id, {
              contactId,
              ...MEMBER,
              organisationId: unknownOrganisation,
            })
          ).body.errors,
        );
      });

      it('none of them created a participant or a contact', async () => {
        expect(await count('participants', desk.tenantId)).toBe(before.participants);
        expect(await count('contacts', desk.tenantId)).toBe(before.contacts);
        await expectSeats(trip.id, {}, 25);
      });
    });
  });

  describe('capacity and the waitlist', () => {
    it('50 concurrent registrations for the last 10 seats: exactly 10 confirmed, 40 waitlisted 1..40 in arrival order', async () => {
      const trip = await openTrip({ capacity: 12 });
      await enrolInTurn(t, desk, trip.id, [
        MEMBER,
        MEMBER,
        { role: 'staff', category: 'administration' },
      ]);
      await expectSeats(trip.id, { confirmed: 3 }, 10);

      const contacts = await Promise.all(
        Array.from({ length: 50 }, async () => (await createContact(t, desk)).id),
      );
      const responses = await Promise.all(
        contacts.map((contactId) => register(trip.id, { contactId, ...MEMBER })),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
      const answers = responses.map((response) => response.body as ParticipantBody);
      expect(answers.filter((p) => p.status === 'confirmed')).toHaveLength(10);
      expect(answers.filter((p) => p.status === 'waitlisted')).toHaveLength(40);

      // Arrival order: distinct registration instants; the first 10 got the seats, the rest queue in order.
      const byArrival = [...answers].sort(byRegistration);
      for (let i = 1; i < byArrival.length; i++) {
        expect(Date.parse(byArrival[i].registeredAt)).toBeGreaterThan(
          Date.parse(byArrival[i - 1].registeredAt),
        );
      }
      expect(byArrival.map((p) => p.status)).toEqual([
        ...Array(10).fill('confirmed'),
        ...Array(40).fill('waitlisted'),
      ]);
      expect(byArrival.map((p) => p.waitlistPosition)).toEqual([
        ...Array(10).fill(null),
        ...Array.from({ length: 40 }, (_, i) => i + 1),
      ]);

      // Each registrant was told at once the place they still hold; the list says the same.
      const waitlist = await listAll(trip.id, { status: 'waitlisted' });
      expect(waitlist.map((p) => p.waitlistPosition)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      expect(waitlist.map((p) => p.id)).toEqual(byArrival.slice(10).map((p) => p.id));
      const listed = new Map((await listAll(trip.id)).map((p) => [p.id, p]));
      for (const answer of answers) {
        expect(listed.get(answer.id)).toMatchObject({
          status: answer.status,
          waitlistPosition: answer.waitlistPosition,
        });
      }
      await expectSeats(trip.id, { confirmed: 13, waitlisted: 40 }, 0);
    });

    it('cancelling a confirmed participant promotes the head of the waitlist in the same request; the line moves up', async () => {
      const trip = await openTrip({ capacity: 2 });
      const [a, b, c, d, e] = await enrolInTurn(t, desk, trip.id, Array(5).fill(MEMBER));
      await expectLine(trip.id, [
        [a, 'confirmed', null],
        [b, 'confirmed', null],
        [c, 'waitlisted', 1],
        [d, 'waitlisted', 2],
        [e, 'waitlisted', 3],
      ]);

      const cancelled = await moved(a, 'cancelled');
      expect(cancelled).toMatchObject({ status: 'cancelled', waitlistPosition: null });
      expect((await getParticipant(c)).participant).toMatchObject({
        status: 'confirmed',
        waitlistPosition: null,
      });
      await expectLine(trip.id, [
        [a, 'cancelled', null],
        [b, 'confirmed', null],
        [c, 'confirmed', null],
        [d, 'waitlisted', 1],
        [e, 'waitlisted', 2],
      ]);
      await expectSeats(trip.id, { confirmed: 2, waitlisted: 2, cancelled: 1 }, 0);

      // Leaving the waitlist promotes nobody (no seat is freed) but moves those behind up.
      await moved(d, 'cancelled');
      await expectLine(trip.id, [
        [b, 'confirmed', null],
        [c, 'confirmed', null],
        [d, 'cancelled', null],
        [e, 'waitlisted', 1],
      ]);
      await expectSeats(trip.id, { confirmed: 2, waitlisted: 1, cancelled: 2 }, 0);
    });

    it('a waitlist position that moves changes the ETag and shows up in updatedSince', async () => {
      const trip = await openTrip({ capacity: 1 });
      const [, w1, w2] = await enrolInTurn(t, desk, trip.id, Array(3).fill(MEMBER));
      const before = await getParticipant(w2);
      expect(before.participant.waitlistPosition).toBe(2);

      const left = await moved(w1, 'cancelled');
      const fresh = await call(owner(), 'get', participantPath(w2)).set(
        'If-None-Match',
        before.etag,
      );
      expect(fresh.status).toBe(200);
      expect(fresh.body.waitlistPosition).toBe(1);
      expect(fresh.headers.etag).not.toBe(before.etag);
      const changed = await listAll(trip.id, { updatedSince: left.updatedAt });
      expect(changed.map((p) => p.id)).toEqual([w1.id, w2.id]);
    });

    it('cancellations and registrations at once: never overbooked, heads promoted, line contiguous', async () => {
      const trip = await openTrip({ capacity: 5 });
      const seated = await enrolInTurn(t, desk, trip.id, Array(5).fill(MEMBER));
      const waiting = await enrolInTurn(t, desk, trip.id, Array(5).fill(MEMBER));
      const contacts = await Promise.all(
        Array.from({ length: 10 }, async () => (await createContact(t, desk)).id),
      );

      const responses = await Promise.all([
        ...seated.slice(0, 3).map((p) => move(p, 'cancelled')),
        ...contacts.map((contactId) => register(trip.id, { contactId, ...MEMBER })),
      ]);
      expect(responses.map((r) => r.status)).toEqual([
        ...Array(3).fill(200),
        ...Array(10).fill(201),
      ]);

      const all = await listAll(trip.id);
      const newcomers = responses.slice(3).map((r) => (r.body as ParticipantBody).id);
      const status = new Map(all.map((p) => [p.id, p.status]));
      expect(
        all
          .filter((p) => p.status === 'confirmed')
          .map((p) => p.id)
          .sort(),
      ).toEqual([...seated.slice(3), ...waiting.slice(0, 3)].map((p) => p.id).sort());
      for (const id of newcomers) expect(status.get(id)).toBe('waitlisted');
      const queue = all.filter((p) => p.status === 'waitlisted');
      expect(queue.map((p) => p.waitlistPosition)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      expect(queue.slice(0, 2).map((p) => p.id)).toEqual(waiting.slice(3).map((p) => p.id));
      await expectSeats(trip.id, { confirmed: 5, waitlisted: 12, cancelled: 3 }, 0);
    });

    it('a waitlisted participant cannot be confirmed by hand without a free seat (409 no_seat)', async () => {
      const trip = await openTrip({ capacity: 1 });
      const [, waiting] = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER]);
      const before = await getParticipant(waiting);
      expectProblem(await move(waiting, 'confirmed'), 409, 'no_seat');
      expect(await getParticipant(waiting)).toEqual(before);
    });

    describe('raising and lowering the capacity', () => {
      it('raising the capacity promotes from the waitlist at once, in order', async () => {
        const trip = await openTrip({ capacity: 2 });
        const [a, b, c, d, e] = await enrolInTurn(t, desk, trip.id, Array(5).fill(MEMBER));
        const raised = await call(owner(), 'patch', `/trips/${trip.id}`, { capacity: 4 });
        expect(raised.status).toBe(200);
        expect(raised.body).toMatchObject({ capacity: 4, seatsLeft: 0 });
        expect(raised.body.participantCounts).toEqual({ confirmed: 4, waitlisted: 1 });
        await expectLine(trip.id, [
          [a, 'confirmed', null],
          [b, 'confirmed', null],
          [c, 'confirmed', null],
          [d, 'confirmed', null],
          [e, 'waitlisted', 1],
        ]);
        await moved(a, 'cancelled');
        await expectLine(trip.id, [[e, 'confirmed', null]]);
        await expectSeats(trip.id, { confirmed: 4, cancelled: 1 }, 0);

        const more = await call(owner(), 'patch', `/trips/${trip.id}`, { capacity: 6 });
        expect(more.body).toMatchObject({ capacity: 6, seatsLeft: 2 });

        // The promotions the capacity change caused are in the audit trail, by whoever raised it.
        const promotions = await auditEvents({ entityType: 'participant', entityId: c.id });
        expect(promotions.map((event) => [event.action, event.actorId])).toContainEqual([
          'participant.promoted',
          desk.owner.id,
        ]);
      });

      it('lowering the capacity below the confirmed participants is 409; down to them is fine', async () => {
        const trip = await openTrip({ capacity: 5 });
        await enrolInTurn(t, desk, trip.id, [
          MEMBER,
          MEMBER,
          MEMBER,
          { role: 'staff', category: 'other' },
        ]);
        const refused = await call(owner(), 'patch', `/trips/${trip.id}`, { capacity: 2 });
        expectProblem(refused, 409, 'capacity_below_confirmed');
        const { trip: after } = await getTrip(trip.id);
        expect(after).toMatchObject({ capacity: 5, seatsLeft: 2, version: trip.version });

        const lowered = await call(owner(), 'patch', `/trips/${trip.id}`, { capacity: 3 });
        expect(lowered.status).toBe(200);
        expect(lowered.body).toMatchObject({ capacity: 3, seatsLeft: 0 });
        const next = await enrol(t, desk, trip.id);
        expect(next).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
      });

      it('a per-organisation cap below what an organisation already holds is 409', async () => {
        const trip = await openTrip({ capacity: 10 });
        await enrolInTurn(t, desk, trip.id, [
          { organisationId: petkus },
          { organisationId: petkus },
        ]);
        expectProblem(
          await call(owner(), 'patch', `/trips/${trip.id}`, { seatsPerOrganisation: 1 }),
          409,
          'capacity_below_confirmed',
        );
        expect((await getTrip(trip.id)).trip.seatsPerOrganisation).toBeNull();
        const capped = await call(owner(), 'patch', `/trips/${trip.id}`, {
          seatsPerOrganisation: 2,
        });
        expect(capped.status).toBe(200);
        expect(await enrol(t, desk, trip.id, { organisationId: petkus })).toMatchObject({
          status: 'waitlisted',
          waitlistPosition: 1,
        });
      });
    });

    describe('groups: the representatives of one organisation move together', () => {
      /** x1..x3 fill the three seats; then Petkus, Petkus, TITK, Petkus queue up. */
      async function groupsQueued(waitlistPolicy: string) {
        const trip = await openTrip({ capacity: 3, waitlistPolicy });
        const [x1, x2, x3, p1, p2, t1, p3] = await enrolInTurn(t, desk, trip.id, [
          MEMBER,
          MEMBER,
          MEMBER,
          { organisationId: petkus },
          { organisationId: petkus },
          { organisationId: titk },
          { organisationId: petkus },
        ]);
        await expectLine(trip.id, [
          [p1, 'waitlisted', 1],
          [p2, 'waitlisted', 2],
          [t1, 'waitlisted', 3],
          [p3, 'waitlisted', 4],
        ]);
        return { trip, x1, x2, x3, p1, p2, t1, p3 };
      }

      it('strict_order (the default): a head group that does not fit holds everyone behind it', async () => {
        const { trip, x1, x2, x3, p1, p2, t1, p3 } = await groupsQueued('strict_order');
        expect(trip.waitlistPolicy).toBe('strict_order');

        await moved(x1, 'cancelled');
        await expectLine(trip.id, [
          [p1, 'waitlisted', 1],
          [p2, 'waitlisted', 2],
          [t1, 'waitlisted', 3],
          [p3, 'waitlisted', 4],
        ]);
        await expectSeats(trip.id, { confirmed: 2, waitlisted: 4, cancelled: 1 }, 1);
        // Nobody overtakes the line either, even with a seat free.
        const late = await enrol(t, desk, trip.id);
        expect(late).toMatchObject({ status: 'waitlisted', waitlistPosition: 5 });

        await moved(x2, 'cancelled');
        await expectSeats(trip.id, { confirmed: 1, waitlisted: 5, cancelled: 2 }, 2);

        await moved(x3, 'cancelled');
        await expectLine(trip.id, [
          [p1, 'confirmed', null],
          [p2, 'confirmed', null],
          [t1, 'waitlisted', 1],
          [p3, 'confirmed', null],
          [late, 'waitlisted', 2],
        ]);
        await expectSeats(trip.id, { confirmed: 3, waitlisted: 2, cancelled: 3 }, 0);
      });

      it('fill_gaps: the first that fits behind a head that does not is promoted', async () => {
        const { trip, x1, x2, x3, p1, p2, t1, p3 } = await groupsQueued('fill_gaps');

        await moved(x1, 'cancelled');
        await expectLine(trip.id, [
          [p1, 'waitlisted', 1],
          [p2, 'waitlisted', 2],
          [t1, 'confirmed', null],
          [p3, 'waitlisted', 3],
        ]);
        await expectSeats(trip.id, { confirmed: 3, waitlisted: 3, cancelled: 1 }, 0);

        await moved(x2, 'cancelled');
        await expectSeats(trip.id, { confirmed: 2, waitlisted: 3, cancelled: 2 }, 1);
        // A newcomer who fits takes the seat the waiting group cannot use.
        const late = await enrol(t, desk, trip.id, { organisationId: ebz });
        expect(late).toMatchObject({ status: 'confirmed', waitlistPosition: null });
        // But never ahead of a colleague who is already waiting.
        const colleague = await enrol(t, desk, trip.id, { organisationId: petkus });
        expect(colleague).toMatchObject({ status: 'waitlisted', waitlistPosition: 4 });

        await moved(x3, 'cancelled');
        await moved(late, 'cancelled');
        await expectLine(trip.id, [
          [p1, 'waitlisted', 1],
          [p2, 'waitlisted', 2],
          [p3, 'waitlisted', 3],
          [colleague, 'waitlisted', 4],
        ]);
        await expectSeats(trip.id, { confirmed: 1, waitlisted: 4, cancelled: 4 }, 2);

        // Leaving the group (travelling for another organisation) lets them take a free seat at once.
        const regrouped = await call(owner(), 'patch', participantPath(colleague), {
          organisationId: ebz,
        });
        expect(regrouped.status).toBe(200);
        await expectLine(trip.id, [
          [p1, 'waitlisted', 1],
          [p2, 'waitlisted', 2],
          [p3, 'waitlisted', 3],
          [colleague, 'confirmed', null],
        ]);
        await expectSeats(trip.id, { confirmed: 2, waitlisted: 3, cancelled: 4 }, 1);
      });

      it('the per-organisation cap is never exceeded; a group that would exceed it waits whole', async () => {
        const trip = await openTrip({ capacity: 10, seatsPerOrganisation: 2 });
        const [p1, p2, p3, p4, t1] = await enrolInTurn(t, desk, trip.id, [
          { organisationId: petkus },
          { organisationId: petkus },
          { organisationId: petkus },
          { organisationId: petkus },
          { organisationId: titk },
        ]);
        const petkusSeats = async () =>
          (await listAll(trip.id, { organisationId: petkus, status: 'confirmed' })).length;
        await expectLine(trip.id, [
          [p1, 'confirmed', null],
          [p2, 'confirmed', null],
          [p3, 'waitlisted', 1],
          [p4, 'waitlisted', 2],
          // strict_order, refined: Petkus waits only for its own cap, which TITK cannot
          // give it, so TITK takes a free seat instead of waiting behind it.
          [t1, 'confirmed', null],
        ]);
        await expectSeats(trip.id, { confirmed: 3, waitlisted: 2 }, 7);

        await moved(p1, 'cancelled');
        // One Petkus seat free under the cap, but p3 and p4 move together or not at all.
        await expectLine(trip.id, [
          [p3, 'waitlisted', 1],
          [p4, 'waitlisted', 2],
          [t1, 'confirmed', null],
        ]);
        expect(await petkusSeats()).toBe(1);

        await moved(p2, 'cancelled');
        await expectLine(trip.id, [
          [p3, 'confirmed', null],
          [p4, 'confirmed', null],
          [t1, 'confirmed', null],
        ]);
        expect(await petkusSeats()).toBe(2);
        await expectSeats(trip.id, { confirmed: 3, cancelled: 2 }, 7);

        // Confirming a fifth Petkus representative, or moving someone into Petkus, is refused.
        const [extra] = await enrolInTurn(t, desk, trip.id, [{ organisationId: petkus }]);
        expect(extra).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
        expectProblem(await move(extra, 'confirmed'), 409, 'no_seat');
        const t1Before = await getParticipant(t1);
        const moving = await call(owner(), 'patch', participantPath(t1), {
          organisationId: petkus,
        });
        expectProblem(moving, 409, 'no_seat');
        expect(await getParticipant(t1)).toEqual(t1Before);
        expect(t1Before.participant.organisationId).toBe(titk);
        expect(await petkusSeats()).toBe(2);
      });

      it('strict_order with a cap: ten concurrent registrations of one company are not kept waiting by another that is capped', async () => {
        const trip = await openTrip({ capacity: 10, seatsPerOrganisation: 2 });
        expect(trip.waitlistPolicy).toBe('strict_order');
        const erfurt = await enrolInTurn(t, desk, trip.id, [
          { organisationId: ebz },
          { organisationId: ebz },
          { organisationId: ebz },
        ]);
        expect(erfurt.map((p) => p.status)).toEqual(['confirmed', 'confirmed', 'waitlisted']);

        const contacts = await Promise.all(
          Array.from({ length: 10 }, async () => (await createContact(t, desk)).id),
        );
        const responses = await Promise.all(
          contacts.map((contactId) =>
            register(trip.id, { contactId, ...MEMBER, organisationId: titk }),
          ),
        );
        expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
        const jena = responses.map((response) => response.body as ParticipantBody);
        expect(jena.filter((p) => p.status === 'confirmed')).toHaveLength(2);
        expect(jena.filter((p) => p.status === 'waitlisted')).toHaveLength(8);
        // The two seats went to the first two to arrive; the rest queue behind EBZ's third, in order.
        const byArrival = [...jena].sort(byRegistration);
        expect(byArrival.map((p) => p.status)).toEqual([
          'confirmed',
          'confirmed',
          ...Array(8).fill('waitlisted'),
        ]);
        expect(byArrival.slice(2).map((p) => p.waitlistPosition)).toEqual(
          Array.from({ length: 8 }, (_, i) => i + 2),
        );
        await expectSeats(trip.id, { confirmed: 4, waitlisted: 9 }, 6);
      });

      it('fill_gaps with a cap: others pass a capped organisation; its group still waits whole', async () => {
        const trip = await openTrip({
          capacity: 10,
          seatsPerOrganisation: 2,
          waitlistPolicy: 'fill_gaps',
        });
        const [p1, , p3, p4, t1] = await enrolInTurn(t, desk, trip.id, [
          { organisationId: petkus },
          { organisationId: petkus },
          { organisationId: petkus },
          { organisationId: petkus },
          { organisationId: titk },
        ]);
        await expectLine(trip.id, [
          [p3, 'waitlisted', 1],
          [p4, 'waitlisted', 2],
          [t1, 'confirmed', null],
        ]);
        await moved(p1, 'cancelled');
        await expectLine(trip.id, [
          [p3, 'waitlisted', 1],
          [p4, 'waitlisted', 2],
        ]);
        await expectSeats(trip.id, { confirmed: 2, waitlisted: 2, cancelled: 1 }, 8);
      });
    });

    describe('staff never take a seat', () => {
      it('staff are confirmed on a full trip, their coming and going moves nobody', async () => {
        const trip = await openTrip({ capacity: 1 });
        const [m1, w1] = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER]);
        const s1 = await enrol(t, desk, trip.id, { role: 'staff', category: 'administration' });
        expect(s1).toMatchObject({ status: 'confirmed', waitlistPosition: null });
        await expectSeats(trip.id, { confirmed: 2, waitlisted: 1 }, 0);

        await moved(s1, 'cancelled');
        await expectLine(trip.id, [
          [m1, 'confirmed', null],
          [w1, 'waitlisted', 1],
        ]);
        await expectSeats(trip.id, { confirmed: 1, waitlisted: 1, cancelled: 1 }, 0);
      });

      it('a member who becomes staff frees their seat at once; staff becoming a member needs a seat', async () => {
        const trip = await openTrip({ capacity: 1 });
        const [m1, w1] = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER]);
        const s2 = await enrol(t, desk, trip.id, { role: 'staff', category: 'administration' });

        const changed = await call(owner(), 'patch', participantPath(m1), { role: 'staff' });
        expect(changed.status).toBe(200);
        expect(changed.body).toMatchObject({ role: 'staff', status: 'confirmed' });
        await expectLine(trip.id, [[w1, 'confirmed', null]]);
        await expectSeats(trip.id, { confirmed: 3 }, 0);

        const before = await getParticipant(s2);
        expectProblem(
          await call(owner(), 'patch', participantPath(s2), { role: 'member' }),
          409,
          'no_seat',
        );
        expect(await getParticipant(s2)).toEqual(before);
      });

      it('a waitlisted participant who becomes staff stops waiting: confirmed at once, the line moves up', async () => {
        const trip = await openTrip({ capacity: 1 });
        const [m1, w1, w2] = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER, MEMBER]);
        const changed = await call(owner(), 'patch', participantPath(w1), {
          role: 'staff',
          category: 'administration',
        });
        expect(changed.status).toBe(200);
        expect(changed.body).toMatchObject({
          role: 'staff',
          status: 'confirmed',
          waitlistPosition: null,
        });
        await expectLine(trip.id, [
          [m1, 'confirmed', null],
          [w1, 'confirmed', null],
          [w2, 'waitlisted', 1],
        ]);
        await expectSeats(trip.id, { confirmed: 2, waitlisted: 1 }, 0);
        const [updated] = await auditEvents({ entityId: w1.id });
        expect(updated).toMatchObject({ action: 'participant.updated' });
        expect(updated.changes).toEqual({
          role: { before: 'member', after: 'staff' },
          category: { before: 'business', after: 'administration' },
          status: { before: 'waitlisted', after: 'confirmed' },
        });
      });

      it('staff on an approval trip are confirmed without applying', async () => {
        const trip = await openTrip({ capacity: 1, approvalRequired: true });
        const staff = await enrol(t, desk, trip.id, { role: 'staff', category: 'administration' });
        expect(staff.status).toBe('confirmed');
        await expectSeats(trip.id, { confirmed: 1 }, 1);
      });
    });

    it('approval trips: registrations land applied; confirming without a free seat waitlists', async () => {
      const trip = await openTrip({ capacity: 1, approvalRequired: true });
      const a = await enrol(t, desk, trip.id);
      expect(a).toMatchObject({ status: 'applied', waitlistPosition: null });
      await expectSeats(trip.id, { applied: 1 }, 1);

      expect(await moved(a, 'confirmed')).toMatchObject({ status: 'confirmed' });
      await expectSeats(trip.id, { confirmed: 1 }, 0);

      const [b, c, d] = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER, MEMBER]);
      expect(await moved(b, 'confirmed')).toMatchObject({
        status: 'waitlisted',
        waitlistPosition: 1,
      });
      expect(await moved(c, 'rejected')).toMatchObject({ status: 'rejected' });
      expect(await moved(d, 'waitlisted')).toMatchObject({
        status: 'waitlisted',
        waitlistPosition: 2,
      });
      await expectSeats(trip.id, { confirmed: 1, waitlisted: 2, rejected: 1 }, 0);

      await moved(a, 'cancelled');
      await expectLine(trip.id, [
        [a, 'cancelled', null],
        [b, 'confirmed', null],
        [c, 'rejected', null],
        [d, 'waitlisted', 1],
      ]);
      await expectSeats(trip.id, { confirmed: 1, waitlisted: 1, rejected: 1, cancelled: 1 }, 0);
    });
  });

  describe('lifecycle', () => {
    /** One participant in each status, on a trip that is under way. */
    const inStatus = {} as Record<Status, ParticipantBody>;
    let trip: TripBody;
    beforeAll(async () => {
      trip = await openTrip({ capacity: 3, approvalRequired: true });
      const [applied, confirmed, attended, noShow, waitlisted, rejected, cancelled] =
        await enrolInTurn(t, desk, trip.id, Array(7).fill(MEMBER));
      for (const p of [confirmed, attended, noShow]) await moved(p, 'confirmed');
      expect((await moved(waitlisted, 'confirmed')).status).toBe('waitlisted');
      await moved(rejected, 'rejected');
      await moved(cancelled, 'waitlisted');
      await moved(cancelled, 'cancelled');

      await moveTrip(t, desk, trip, ['registration_closed', 'in_progress']);
      await moved(attended, 'attended');
      await moved(noShow, 'no_show');
      Object.assign(inStatus, {
        applied,
        confirmed,
        waitlisted,
        rejected,
        cancelled,
        attended,
        no_show: noShow,
      });
    });

    it('every status is reached through the API', async () => {
      for (const status of STATUSES) {
        expect((await getParticipant(inStatus[status])).participant.status).toBe(status);
      }
      await expectSeats(
        trip.id,
        {
          applied: 1,
          confirmed: 1,
          waitlisted: 1,
          rejected: 1,
          cancelled: 1,
          attended: 1,
          no_show: 1,
        },
        // Attended and no-show keep the seats they held: all 3 are taken.
        0,
      );
    });

    it.each(ILLEGAL)(
      '$from → $to is 409 illegal_transition naming what is allowed; nothing changes',
      async ({ from, to }) => {
        const before = await getParticipant(inStatus[from]);
        expect(before.participant.status).toBe(from);

        const response = await move(inStatus[from], to);
        expectProblem(response, 409, 'illegal_transition');
        expect(response.body).toMatchObject({ from, to });
        expect(response.body.allowedTransitions).toEqual(NEXT[from]);

        expect(await getParticipant(inStatus[from])).toEqual(before);
      },
    );

    it('attended and no_show are 409 trip_not_under_way until the trip is in progress, then recorded once', async () => {
      const other = await openTrip({ capacity: 2 });
      const [present, absent] = await enrolInTurn(t, desk, other.id, [MEMBER, MEMBER]);
      for (const step of [[], ['registration_closed']] as TripStatus[][]) {
        await moveTrip(t, desk, other, step);
        for (const to of ['attended', 'no_show']) {
          const before = await getParticipant(present);
          expectProblem(await move(present, to), 409, 'trip_not_under_way');
          expect(await getParticipant(present)).toEqual(before);
        }
      }
      await moveTrip(t, desk, other, ['in_progress']);
      expect(await moved(present, 'attended')).toMatchObject({ status: 'attended' });
      await moveTrip(t, desk, other, ['completed']);
      expect(await moved(absent, 'no_show')).toMatchObject({ status: 'no_show' });
      const again = await move(present, 'no_show');
      expectProblem(again, 409, 'illegal_transition');
      expect(again.body.allowedTransitions).toEqual([]);
      expect((await getTrip(other.id)).trip.participantCounts).toEqual({
        attended: 1,
        no_show: 1,
      });
      const events = await auditEvents({ entityId: present.id });
      expect(events.map((event) => event.changes?.status)).toEqual([
        { before: 'confirmed', after: 'attended' },
        { before: null, after: 'confirmed' },
      ]);
    });

    it('a confirmed participant gets a status change answered with the new version and ETag', async () => {
      const other = await openTrip();
      const participant = await enrol(t, desk, other.id);
      const response = await move(participant, 'cancelled');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...participant,
        status: 'cancelled',
        statusChangedAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 2,
      });
      expect(response.headers.etag).toBe('"2"');
      expect((await getParticipant(participant)).participant).toEqual(response.body);
    });

    it.each(
      named<Body, string>([
        ['an unknown status', { to: 'archived' }, 'to'],
        ['no status', {}, 'to'],
        ['a null status', { to: null }, 'to'],
        ['an unknown field', { to: 'cancelled', reason: 'Krank' }, 'reason'],
      ]),
    )('a transition with %s is 400 naming %s', async (_, field, body) => {
      const before = await getParticipant(inStatus.confirmed);
      expectInvalid(
        await call(owner(), 'post', `${participantPath(inStatus.confirmed)}/transitions`, body),
        field,
      );
      expect(await getParticipant(inStatus.confirmed)).toEqual(before);
    });
  });

  describe('changing a participant', () => {
    it('PATCH changes only what is sent, null clears, answers as a GET then does', async () => {
      const trip = await openTrip();
      const participant = await enrol(t, desk, trip.id, {
        dietaryNeeds: 'vegetarisch',
        arrival: 'LH 5670',
        notes: 'Erste Reise nach Zentralasien.',
      });
      const changed = await call(owner(), 'patch', participantPath(participant), {
        category: 'science',
        visaRequired: true,
        visaStatus: 'applied',
        dietaryNeeds: 'vegan',
        arrival: null,
        answers: { hotelRoom: 'double' },
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toEqual({
        ...participant,
        category: 'science',
        visaRequired: true,
        visaStatus: 'applied',
        dietaryNeeds: 'vegan',
        arrival: null,
        answers: { hotelRoom: 'double' },
        updatedAt: expect.any(String),
        version: 2,
      });
      expect((await getParticipant(participant)).participant).toEqual(changed.body);

      const same = await call(owner(), 'patch', participantPath(participant), {
        category: 'science',
        notes: 'Erste Reise nach Zentralasien.',
      });
      expect(same.status).toBe(200);
      expect(same.body).toEqual(changed.body);
    });

    it.each(
      named<Body, string>([
        ['a status (read-only)', { status: 'cancelled' }, 'status'],
        ['a waitlistPosition (read-only)', { waitlistPosition: 1 }, 'waitlistPosition'],
        ['a contactId (fixed)', { contactId: randomUUID() }, 'contactId'],
        ['a null role', { role: null }, 'role'],
        ['a null category', { category: null }, 'category'],
        ['a null visaStatus', { visaStatus: null }, 'visaStatus'],
        ['a null answers', { answers: null }, 'answers'],
        ['an unknown role', { role: 'boss' }, 'role'],
        ['an unknown organisationId', { organisationId: randomUUID() }, 'organisationId'],
        ['an unknown field', { hotel: 'Rixos' }, 'hotel'],
      ]),
    )('PATCH with %s is 400 naming %s; nothing changes', async (_, field, body) => {
      const trip = await openTrip();
      const participant = await enrol(t, desk, trip.id);
      expectInvalid(await call(owner(), 'patch', participantPath(participant), body), field);
      expect((await getParticipant(participant)).participant).toEqual(participant);
    });
  });

  describe('listing', () => {
    let trip: TripBody;
    let lead: ParticipantBody;
    let m1: ParticipantBody;
    let m2: ParticipantBody;
    let staff: ParticipantBody;
    let press: ParticipantBody;
    let guest: ParticipantBody;
    let journalist: ParticipantBody;
    beforeAll(async () => {
      trip = await openTrip({ capacity: 3 });
      [lead, m1, m2, staff, press, guest, journalist] = await enrolInTurn(t, desk, trip.id, [
        {
          role: 'delegation_lead',
          category: 'politics',
          visaRequired: true,
          visaStatus: 'granted',
        },
        { role: 'member', category: 'business', organisationId: petkus, visaStatus: 'to_apply' },
        { role: 'member', category: 'science', organisationId: titk, visaStatus: 'applied' },
        { role: 'staff', category: 'administration' },
        { role: 'press', category: 'other' },
        { role: 'guest', category: 'business', organisationId: petkus },
        { role: 'press', category: 'other', organisationId: ebz },
      ]);
      await moved(press, 'cancelled');
    });
    const ids = (participants: ParticipantBody[]) => participants.map((p) => p.id);

    it('lists in registration order, each participant as GET shows it', async () => {
      const all = await listAll(trip.id);
      expect(ids(all)).toEqual(ids([lead, m1, m2, staff, press, guest, journalist]));
      expect([...all].sort(byRegistration)).toEqual(all);
      for (const p of all) expect((await getParticipant(p)).participant).toEqual(p);
    });

    const FILTERS: [string, Record<string, string>, () => ParticipantBody[]][] = [
      ['status=confirmed', { status: 'confirmed' }, () => [lead, m1, m2, staff]],
      ['status=waitlisted', { status: 'waitlisted' }, () => [guest, journalist]],
      ['status=cancelled', { status: 'cancelled' }, () => [press]],
      ['status=applied', { status: 'applied' }, () => []],
      ['role=member', { role: 'member' }, () => [m1, m2]],
      ['role=press', { role: 'press' }, () => [press, journalist]],
      ['role=staff', { role: 'staff' }, () => [staff]],
      ['category=business', { category: 'business' }, () => [m1, guest]],
      ['category=other', { category: 'other' }, () => [press, journalist]],
      ['organisationId=Petkus', { organisationId: 'petkus' }, () => [m1, guest]],
      ['organisationId=EBZ', { organisationId: 'ebz' }, () => [journalist]],
      ['visaStatus=applied', { visaStatus: 'applied' }, () => [m2]],
      [
        'visaStatus=not_needed',
        { visaStatus: 'not_needed' },
        () => [staff, press, guest, journalist],
      ],
      [
        'role=member&organisationId=Petkus',
        { role: 'member', organisationId: 'petkus' },
        () => [m1],
      ],
      [
        'status=waitlisted&category=business',
        { status: 'waitlisted', category: 'business' },
        () => [guest],
      ],
    ];
    const organisationIds = () => ({ petkus, titk, ebz }) as Record<string, string>;

    it.each(FILTERS)(
      '%s lists exactly the matching participants, in order',
      async (_, query, expected) => {
        const resolved = Object.fromEntries(
          Object.entries(query).map(([key, value]) => [
            key,
            key === 'organisationId' ? organisationIds()[value] : value,
          ]),
        );
        expect(ids(await listAll(trip.id, resolved))).toEqual(ids(expected()));
      },
    );

    it('updatedSince lists the participants changed at or after that instant', async () => {
      const changed = await call(owner(), 'patch', participantPath(m2), { visaStatus: 'granted' });
      expect(changed.status).toBe(200);
      const since = (changed.body as ParticipantBody).updatedAt;
      expect(ids(await listAll(trip.id, { updatedSince: since }))).toEqual([m2.id]);
      const later = new Date(Date.parse(since) + 1).toISOString();
      expect(await listAll(trip.id, { updatedSince: later })).toEqual([]);
      expect(ids(await listAll(trip.id, { updatedSince: '2022-01-01T00:00:00Z' }))).toHaveLength(7);
    });

    it.each([
      ['status', 'archived'],
      ['role', 'boss'],
      ['category', 'sports'],
      ['organisationId', 'petkus'],
      ['visaStatus', 'maybe'],
      ['updatedSince', 'yesterday'],
      ['limit', '0'],
      ['limit', '201'],
      ['cursor', 'not-a-cursor'],
      ['hotel', 'Rixos'],
    ])('?%s=%s is 400 naming it', async (parameter, value) => {
      const response = await t
        .http()
        .get(`/api/v1${participantsOf(trip.id)}`)
        .query({ [parameter]: value })
        .set(owner());
      expectInvalid(response, parameter);
    });

    it("a cursor from the trips listing is refused on a trip's participants", async () => {
      const trips = await call(owner(), 'get', '/trips?limit=1');
      expect(trips.status).toBe(200);
      const cursor = (trips.body as PageBody<TripBody>).nextCursor;
      expect(cursor).toEqual(expect.any(String));
      const response = await t
        .http()
        .get(`/api/v1${participantsOf(trip.id)}`)
        .query({ cursor })
        .set(owner());
      expectInvalid(response, 'cursor');
    });

    it('pages in registration order with limit 3 while people register: each exactly once', async () => {
      const paged = await openTrip({ capacity: 4 });
      const first = await enrolInTurn(t, desk, paged.id, Array(7).fill(MEMBER));
      const seen: ParticipantBody[] = [];
      const added: ParticipantBody[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: PageBody<ParticipantBody> = await listPage(paged.id, {
          limit: 3,
          ...(cursor ? { cursor } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items);
        cursor = page.nextCursor;
        if (pages++ < 2) added.push(await enrol(t, desk, paged.id));
      } while (cursor);
      expect(ids(seen)).toEqual(ids([...first, ...added]));
      expect((await listPage(paged.id, { limit: 200 })).nextCursor).toBeNull();
    });
  });

  describe('conditional requests', () => {
    it('ETag, If-None-Match 304, stale If-Match 412 on PATCH and transitions', async () => {
      const trip = await openTrip();
      const participant = await enrol(t, desk, trip.id);
      const path = participantPath(participant);
      const notModified = await call(owner(), 'get', path).set('If-None-Match', '"1"');
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBe('');

      const patched = await call(owner(), 'patch', path, { notes: 'Vortrag am 27.09.' }).set(
        'If-Match',
        '"1"',
      );
      expect(patched.status).toBe(200);
      expect(patched.headers.etag).toBe('"2"');
      expect((await call(owner(), 'get', path).set('If-None-Match', '"1"')).status).toBe(200);

      for (const request of [
        call(owner(), 'patch', path, { notes: 'Kein Vortrag.' }).set('If-Match', '"1"'),
        call(owner(), 'post', `${path}/transitions`, { to: 'cancelled' }).set('If-Match', '"1"'),
        call(owner(), 'patch', path, { notes: 'Kein Vortrag.' }).set('If-Match', 'version 2'),
      ]) {
        expectProblem(await request, 412, 'precondition_failed');
      }
      const { participant: after, etag } = await getParticipant(participant);
      expect(etag).toBe('"2"');
      expect(after).toMatchObject({ status: 'confirmed', notes: 'Vortrag am 27.09.' });

      const cancelled = await call(owner(), 'post', `${path}/transitions`, {
        to: 'cancelled',
      }).set('If-Match', '"2"');
      expect(cancelled.status).toBe(200);
      expect(cancelled.headers.etag).toBe('"3"');
      expect(cancelled.body.status).toBe('cancelled');
    });
  });

  describe('Idempotency-Key', () => {
    it('POST .../participants with the same key and body replays the first answer; another body is 422', async () => {
      const trip = await openTrip();
      const key = randomUUID();
      const body = { contactId: (await createContact(t, desk)).id, ...MEMBER };
      const first = await register(trip.id, body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await register(trip.id, body).set('Idempotency-Key', key);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);

      expectProblem(
        await register(trip.id, { ...body, role: 'guest' }).set('Idempotency-Key', key),
        422,
        'idempotency_key_reused',
      );
      expect(await listAll(trip.id)).toEqual([first.body]);
    });

    it('a retried transition replays its answer instead of failing as illegal', async () => {
      const trip = await openTrip();
      const participant = await enrol(t, desk, trip.id);
      const key = randomUUID();
      const first = await move(participant, 'cancelled').set('Idempotency-Key', key);
      expect(first.status).toBe(200);
      const again = await move(participant, 'cancelled').set('Idempotency-Key', key);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const events = await auditEvents({ entityId: participant.id });
      expect(events.map((event) => event.action)).toEqual([
        'participant.status_changed',
        'participant.created',
      ]);
    });
  });

  describe('roles and API key scopes', () => {
    type Caller =
      | 'owner'
      | 'organiser'
      | 'viewer'
      | 'participants:read key'
      | 'participants:write key'
      | 'trips:read key';
    const as = (caller: Caller): Headers => {
      switch (caller) {
        case 'owner':
          return owner();
        case 'organiser':
          return bearer(deskOrganiser.accessToken);
        case 'viewer':
          return bearer(deskViewer.accessToken);
        case 'participants:read key':
          return apiKey(keyWith['participants:read'].key);
        case 'participants:write key':
          return apiKey(keyWith['participants:write'].key);
        case 'trips:read key':
          return apiKey(keyWith['trips:read'].key);
      }
    };

    let trip: TripBody;
    let participant: ParticipantBody;
    let newcomer: string;
    beforeAll(async () => {
      trip = await openTrip();
      participant = await enrol(t, desk, trip.id);
      newcomer = (await createContact(t, desk)).id;
    });
    const fill = (path: string) =>
      path.replace(':trip', trip.id).replace(':participant', participant.id);

    const READS = ['/trips/:trip/participants', '/trips/:trip/participants/:participant'];
    const WRITES: [Method, string, () => Body][] = [
      ['post', '/trips/:trip/participants', () => ({ contactId: newcomer, ...MEMBER })],
      ['patch', '/trips/:trip/participants/:participant', () => ({ notes: 'Geändert' })],
      ['post', '/trips/:trip/participants/:participant/transitions', () => ({ to: 'cancelled' })],
    ];

    it.each(
      (
        [
          'owner',
          'organiser',
          'viewer',
          'participants:read key',
          'participants:write key',
        ] as Caller[]
      ).flatMap((caller) => READS.map((path) => ({ caller, path }))),
    )('$caller may GET $path', async ({ caller, path }) => {
      expect((await call(as(caller), 'get', fill(path))).status).toBe(200);
    });

    it.each(READS)('a key with only trips:read gets 403 on GET %s', async (path) => {
      const response = await call(as('trips:read key'), 'get', fill(path));
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toMatch(/participants:read or participants:write/);
    });

    it.each(
      (['viewer', 'participants:read key', 'trips:read key'] as Caller[]).flatMap((caller) =>
        WRITES.map(([method, path, body]) => ({ caller, method, path, body })),
      ),
    )('$caller gets 403 forbidden on $method $path', async ({ caller, method, path, body }) => {
      const response = await call(as(caller), method, fill(path), body());
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toMatch(
        caller === 'viewer' ? /\(viewer\)/ : /participants:write/,
      );
    });

    it('the refused writes changed nothing; without credentials everything is 401', async () => {
      expect(await getParticipant(participant)).toEqual({ participant, etag: '"1"' });
      expect(await listAll(trip.id)).toEqual([participant]);
      for (const path of READS) {
        expectProblem(await call({}, 'get', fill(path)), 401, 'authentication_required');
      }
      for (const [method, path, body] of WRITES) {
        expectProblem(await call({}, method, fill(path), body()), 401, 'authentication_required');
      }
    });

    it.each(['organiser', 'participants:write key'] as Caller[])(
      '%s may register, change and move participants along',
      async (caller) => {
        const own = await openTrip({ capacity: 1 });
        const headers = as(caller);
        const first = await addParticipant(t, headers, own.id, {
          contactId: (await createContact(t, desk)).id,
        });
        const second = await addParticipant(t, headers, own.id, {
          contactId: (await createContact(t, desk)).id,
        });
        expect(second.status).toBe('waitlisted');
        const patched = await call(headers, 'patch', participantPath(first), { notes: 'Okay' });
        expect(patched.body).toMatchObject({ notes: 'Okay' });
        expect((await move(first, 'cancelled', headers)).status).toBe(200);
        expect((await getParticipant(second)).participant.status).toBe('confirmed');
      },
    );
  });

  describe('tenant isolation', () => {
    let mine: { trip: TripBody; participant: ParticipantBody };
    let theirs: { trip: TripBody; participant: ParticipantBody };
    let myContact: string;
    beforeAll(async () => {
      const [myTrip, theirTrip] = await Promise.all([openTrip(), openTrip({}, rival)]);
      mine = { trip: myTrip, participant: await enrol(t, desk, myTrip.id) };
      theirs = {
        trip: theirTrip,
        participant: await addParticipant(t, rival, theirTrip.id, { contactId: rivalContact }),
      };
      myContact = (await createContact(t, desk)).id;
    });

    const ROUTES: [Method, string, () => Body | undefined][] = [
      ['get', '/trips/:trip/participants', () => undefined],
      ['post', '/trips/:trip/participants', () => ({ contactId: myContact, ...MEMBER })],
      ['get', '/trips/:trip/participants/:participant', () => undefined],
      ['patch', '/trips/:trip/participants/:participant', () => ({ notes: 'Übernommen' })],
      ['post', '/trips/:trip/participants/:participant/transitions', () => ({ to: 'cancelled' })],
    ];
    const PARTICIPANT_ROUTES = ROUTES.filter(([, path]) => path.includes(':participant'));
    const fill = (path: string, trip: string, participant: string) =>
      path.replace(':trip', trip).replace(':participant', participant);
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
          owner(),
          method,
          fill(path, theirs.trip.id, theirs.participant.id),
          body(),
        );
        const unknown = await call(owner(), method, fill(path, randomUUID(), randomUUID()), body());
        expectProblem(foreign, 404, 'not_found');
        expect(essence(foreign)).toEqual(essence(unknown));

        const byKey = await call(
          apiKey(keyWith['participants:write'].key),
          method,
          fill(path, theirs.trip.id, theirs.participant.id),
          body(),
        );
        expectProblem(byKey, 404, 'not_found');
      },
    );

    it.each(PARTICIPANT_ROUTES)(
      "%s %s with the other agency's participant under one's own trip is 404 (and the reverse)",
      async (method, path, body) => {
        const foreign = await call(
          owner(),
          method,
          fill(path, mine.trip.id, theirs.participant.id),
          body(),
        );
        const unknown = await call(owner(), method, fill(path, mine.trip.id, randomUUID()), body());
        expectProblem(foreign, 404, 'not_found');
        expect(essence(foreign)).toEqual(essence(unknown));
        const reverse = await call(
          owner(),
          method,
          fill(path, theirs.trip.id, mine.participant.id),
          body(),
        );
        expectProblem(reverse, 404, 'not_found');
        expect(essence(reverse)).toEqual(essence(unknown));
      },
    );

    it("a participant is not found under another of the agency's own trips", async () => {
      const other = await openTrip();
      expectProblem(
        await call(
          owner(),
          'get',
          fill('/trips/:trip/participants/:participant', other.id, mine.participant.id),
        ),
        404,
        'not_found',
      );
    });

    it("registering a new inline contact on the other agency's trip is 404 and creates no contact", async () => {
      const contactsBefore = await count('contacts', desk.tenantId);
      const response = await register(theirs.trip.id, {
        ...MEMBER,
        contact: { lastName: 'Bekova', email: `bekova.${tag()}@example.org` },
      });
      expectProblem(response, 404, 'not_found');
      expect(await count('contacts', desk.tenantId)).toBe(contactsBefore);
    });

    it("the other agency's trip and participant are untouched", async () => {
      const response = await call(owner(rival), 'get', participantPath(theirs.participant));
      expect(response.status).toBe(200);
      expect(response.body).toEqual(theirs.participant);
      const list = await call(owner(rival), 'get', participantsOf(theirs.trip.id));
      expect((list.body as PageBody<ParticipantBody>).items).toEqual([theirs.participant]);
      const { trip } = await getTrip(theirs.trip.id, rival);
      expect(trip.participantCounts).toEqual({ confirmed: 1 });
    });

    it('a malformed id is 400 naming the parameter, not 404', async () => {
      expectInvalid(await call(owner(), 'get', '/trips/kasachstan-2022/participants'), 'id');
      expectInvalid(
        await call(owner(), 'get', `/trips/${mine.trip.id}/participants/sadykova`),
        'participantId',
      );
      expectInvalid(
        await call(owner(), 'post', `/trips/${mine.trip.id}/participants/sadykova/transitions`, {
          to: 'cancelled',
        }),
        'participantId',
      );
    });
  });

  describe('audit trail', () => {
    it('records participant.created with personal free text redacted, status_changed and promoted, by whom', async () => {
      const trip = await openTrip({ capacity: 1 });
      const secret = tag();
      const seated = await addParticipant(t, bearer(deskOrganiser.accessToken), trip.id, {
        contactId: (await createContact(t, desk)).id,
        organisationId: petkus,
        dietaryNeeds: `keine Nüsse ${secret}`,
        accessibilityNeeds: `Rollstuhl ${secret}`,
        arrival: `LH 5670 ${secret}`,
        departure: `TK 371 ${secret}`,
        notes: `Sehr wichtig ${secret}`,
        answers: { allergy: `Erdnüsse ${secret}` },
        visaRequired: true,
      });
      const waiting = await enrol(t, desk, trip.id);
      await move(seated, 'cancelled', apiKey(keyWith['participants:write'].key)).expect(200);
      const patched = await call(owner(), 'patch', participantPath(waiting), {
        dietaryNeeds: `halal ${secret}`,
        visaStatus: 'to_apply',
      });
      expect(patched.status).toBe(200);

      const seatedEvents = await auditEvents({ entityType: 'participant', entityId: seated.id });
      expect(seatedEvents.map((event) => [event.action, event.actorType, event.actorId])).toEqual([
        ['participant.status_changed', 'api_key', keyWith['participants:write'].id],
        ['participant.created', 'user', deskOrganiser.id],
      ]);
      const [cancelled, created] = seatedEvents;
      expect(cancelled.changes).toEqual({ status: { before: 'confirmed', after: 'cancelled' } });
      expect(created.changes).toEqual({
        contactId: { before: null, after: seated.contactId },
        organisationId: { before: null, after: petkus },
        role: { before: null, after: 'member' },
        category: { before: null, after: 'business' },
        visaRequired: { before: null, after: true },
        status: { before: null, after: 'confirmed' },
        dietaryNeeds: { before: null, after: '[redacted]' },
        accessibilityNeeds: { before: null, after: '[redacted]' },
        arrival: { before: null, after: '[redacted]' },
        departure: { before: null, after: '[redacted]' },
        notes: { before: null, after: '[redacted]' },
        answers: { before: null, after: '[redacted]' },
      });

      const waitingEvents = await auditEvents({ entityType: 'participant', entityId: waiting.id });
      expect(waitingEvents.map((event) => [event.action, event.actorId])).toEqual([
        ['participant.updated', desk.owner.id],
        ['participant.promoted', keyWith['participants:write'].id],
        ['participant.created', desk.owner.id],
      ]);
      const [updated, promoted, queued] = waitingEvents;
      expect(updated.changes).toEqual({
        dietaryNeeds: { before: null, after: '[redacted]' },
        visaStatus: { before: 'not_needed', after: 'to_apply' },
      });
      expect(promoted.changes).toEqual({ status: { before: 'waitlisted', after: 'confirmed' } });
      expect(queued.changes).toMatchObject({ status: { before: null, after: 'waitlisted' } });

      const trail = JSON.stringify([...seatedEvents, ...waitingEvents]);
      expect(trail).not.toContain(secret);
    });

    it('an inline contact created on registration is recorded as contact.created, names redacted', async () => {
      const trip = await openTrip();
      const secret = tag();
      const response = await register(trip.id, {
        ...MEMBER,
        contact: {
          firstName: `Aigerim${secret}`,
          lastName: `Sadykova${secret}`,
          email: `a.${secret}@example.kz`,
        },
      });
      expect(response.status).toBe(201);
      const contactId = (response.body as ParticipantBody).contactId;
      const events = await auditEvents({ entityType: 'contact', entityId: contactId });
      expect(events.map((event) => [event.action, event.actorId])).toEqual([
        ['contact.created', desk.owner.id],
      ]);
      expect(events[0].changes).toEqual({
        firstName: { before: null, after: '[redacted]' },
        lastName: { before: null, after: '[redacted]' },
        email: { before: null, after: '[redacted]' },
      });
      expect(JSON.stringify(events)).not.toContain(secret);
    });

    it('refused changes record nothing', async () => {
      const trip = await openTrip({ capacity: 1 });
      const [seated, waiting] = await enrolInTurn(t, desk, trip.id, [MEMBER, MEMBER]);
      expectProblem(await move(seated, 'applied'), 409, 'illegal_transition');
      expectProblem(await move(waiting, 'confirmed'), 409, 'no_seat');
      expectProblem(await move(seated, 'attended'), 409, 'trip_not_under_way');
      expectProblem(
        await call(bearer(deskViewer.accessToken), 'patch', participantPath(seated), {
          notes: 'x',
        }),
        403,
        'forbidden',
      );
      expect(
        (await call(owner(), 'patch', participantPath(seated), { category: 'business' })).status,
      ).toBe(200);
      for (const p of [seated, waiting]) {
        const events = await auditEvents({ entityId: p.id });
        expect(events.map((event) => event.action)).toEqual(['participant.created']);
      }
    });
  });
});
