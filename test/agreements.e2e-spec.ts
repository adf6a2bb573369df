import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  type AuditEventBody,
  type Body,
  type FieldErrorBody,
  type Headers,
  type Method,
  type PageBody,
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
  type MeetingBody,
  type OrganisationBody,
  type TripBody,
  tag,
  tripBody,
} from './support/factories.js';
import {
  CREATE_AGREEMENT_EXAMPLES,
  EXAMPLE_IDS,
  UPDATE_AGREEMENT_EXAMPLES,
} from '../src/modules/agreements/agreements.examples.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type AgreementStatus =
  'draft' | 'negotiating' | 'signed' | 'in_force' | 'expired' | 'terminated' | 'abandoned';

const STATUSES: AgreementStatus[] = [
  'draft',
  'negotiating',
  'signed',
  'in_force',
  'expired',
  'terminated',
  'abandoned',
];

/** The agreement lifecycle as issue 16 promises it, written out here rather than imported. */
const NEXT: Record<AgreementStatus, AgreementStatus[]> = {
  draft: ['negotiating', 'abandoned'],
  negotiating: ['signed', 'abandoned'],
  signed: ['in_force', 'terminated'],
  in_force: ['expired', 'terminated'],
  expired: [],
  terminated: [],
  abandoned: [],
};
/** The transitions that take a new (draft) agreement to each status. */
const ROUTE: Record<AgreementStatus, AgreementStatus[]> = {
  draft: [],
  negotiating: ['negotiating'],
  signed: ['negotiating', 'signed'],
  in_force: ['negotiating', 'signed', 'in_force'],
  expired: ['negotiating', 'signed', 'in_force', 'expired'],
  terminated: ['negotiating', 'signed', 'terminated'],
  abandoned: ['abandoned'],
};
/** Every (from, to) pair over the seven statuses, self-transitions included. */
const PAIRS = STATUSES.flatMap((from) =>
  STATUSES.map((to) => ({ from, to, allowed: NEXT[from].includes(to) })),
);
const SIGNED_ONES: AgreementStatus[] = ['signed', 'in_force', 'expired', 'terminated'];

interface PartyBody {
  organisationId: string;
  signatoryContactIds: string[];
}

/** An agreement as the API returns it. */
interface AgreementBody {
  id: string;
  title: string;
  kind: string;
  category: string;
  status: AgreementStatus;
  statusSince: string;
  allowedTransitions: AgreementStatus[];
  parties: PartyBody[];
  agencyIsParty: boolean;
  tripId: string | null;
  meetingId: string | null;
  summary: string | null;
  signedOn: string | null;
  signedIn: { city: string; country: string } | null;
  validUntil: string | null;
  documentUrl: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * desk's agency lives in Kiritimati (UTC+14), rival's in Pago Pago (UTC−11):
 * their todays are never the same day, and at most times of day one of them
 * is not the server's (UTC) today either.
 */
const DESK_ZONE = 'Pacific/Kiritimati';
const RIVAL_ZONE = 'Pacific/Pago_Pago';

/** Today's date (YYYY-MM-DD) in `timeZone`. */
const todayIn = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
const dayAfter = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const sorted = <T>(items: readonly T[]) => [...items].sort();

/** [label, body, field] rows as [label, field, body], so titles read "with <label> is 400 naming <field>". */
const named = <B, F>(rows: [string, B, F][]) =>
  rows.map(([label, body, field]): [string, F, B] => [label, field, body]);

/**
 * Agreements (issue 16, first part) through HTTP against real PostgreSQL:
 * creating with parties and signatories, the rules of references and dates,
 * the lifecycle table with its signing requirements, changing and deleting,
 * the list's order, paging and filters, tenant isolation, roles and API key
 * scopes, the audit trail, Idempotency-Key, the contract's request examples,
 * and the counts trips and partner organisations show.
 */
describe('agreements', () => {
  let t: TestApp;
  let desk: Agency;
  let rival: Agency;
  let deskAdmin: Staff;
  let deskOrganiser: Staff;
  let deskViewer: Staff;
  type KeyScope = 'agreements:read' | 'agreements:write' | 'directory:read';
  const keyWith = {} as Record<KeyScope, { id: string; key: string }>;
  /** desk's partner organisations and the contacts who sign for them. */
  let atameken: OrganisationBody;
  let university: OrganisationBody;
  let chairman: string;
  let deputy: string;
  let rector: string;
  /** desk's trip with a meeting, and another trip with a meeting of its own. */
  let trip: TripBody;
  let meeting: MeetingBody;
  let otherTrip: TripBody;
  let otherMeeting: MeetingBody;
  /** The other agency's organisation, contact and trip: unknown to desk. */
  let rivalOrganisation: string;
  let rivalContact: string;
  let rivalTrip: string;

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const owner = (agency: Agency = desk): Headers => bearer(agency.owner.accessToken);
  const apiKey = (key: string): Headers => ({ 'X-API-Key': key });
  const pathOf = (id: string) => `/agreements/${id}`;

  /** A valid agreement body: a draft MoU with ATAMEKEN, chairman signing; pass what the test is about. */
  const agreementBody = (fields: Body = {}): Body => ({
    title: `Absichtserklärung zur Berufsbildung ${tag()}`,
    kind: 'mou',
    category: 'business',
    parties: [{ organisationId: atameken.id, signatoryContactIds: [chairman] }],
    ...fields,
  });

  const post = (body: Body, headers: Headers = owner()) =>
    call(headers, 'post', '/agreements', body);
  const patch = (id: string, body: Body, headers: Headers = owner()) =>
    call(headers, 'patch', pathOf(id), body);
  const transition = (id: string, body: Body, headers: Headers = owner()) =>
    call(headers, 'post', `${pathOf(id)}/transitions`, body);

  /** A new agreement (201 expected): `agreementBody(fields)`. */
  async function createAgreement(
    fields: Body = {},
    headers: Headers = owner(),
  ): Promise<AgreementBody> {
    const response = await post(agreementBody(fields), headers);
    if (response.status !== 201) {
      throw new Error(
        `POST /agreements answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body as AgreementBody;
  }

  /** Takes an agreement through `steps` (200 each); returns it as the last step left it. */
  async function move(
    agreement: AgreementBody,
    steps: readonly AgreementStatus[],
    headers: Headers = owner(),
  ): Promise<AgreementBody> {
    let current = agreement;
    for (const to of steps) {
      const response = await transition(agreement.id, { to }, headers);
      if (response.status !== 200) {
        throw new Error(`→ ${to} answered ${response.status}: ${JSON.stringify(response.body)}`);
      }
      current = response.body as AgreementBody;
    }
    return current;
  }

  /** A new agreement (signed on 1 March 2024 by the chairman unless `fields` say otherwise) in `status`. */
  async function agreementIn(
    status: AgreementStatus,
    fields: Body = {},
    headers: Headers = owner(),
  ): Promise<AgreementBody> {
    const created = await createAgreement({ signedOn: '2024-03-01', ...fields }, headers);
    return move(created, ROUTE[status], headers);
  }

  async function getAgreement(id: string, headers: Headers = owner()) {
    const response = await call(headers, 'get', pathOf(id));
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe(`"${(response.body as AgreementBody).version}"`);
    return { agreement: response.body as AgreementBody, etag: String(response.headers.etag) };
  }

  /** Expects the agreement exactly as `expected`, with the same ETag: nothing changed. */
  async function expectUnchanged(expected: AgreementBody) {
    const { agreement, etag } = await getAgreement(expected.id);
    expect(agreement).toEqual(expected);
    expect(etag).toBe(`"${expected.version}"`);
  }

  async function listPage(query: Record<string, string | number> = {}, agency: Agency = desk) {
    const response = await t
      .http()
      .get('/api/v1/agreements')
      .query({ limit: 200, ...query })
      .set(owner(agency));
    expect(response.status).toBe(200);
    return response.body as PageBody<AgreementBody>;
  }

  /** Every agreement of `agency` matching `query`, following the cursor. */
  async function listAll(query: Record<string, string | number> = {}, agency: Agency = desk) {
    const all: AgreementBody[] = [];
    let cursor: string | null = null;
    do {
      const page: PageBody<AgreementBody> = await listPage(
        { ...query, ...(cursor ? { cursor } : {}) },
        agency,
      );
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }
  const allIds = async (agency: Agency = desk) =>
    (await listAll({}, agency)).map((agreement) => agreement.id);

  async function auditEvents(query: Record<string, string>) {
    const response = await t
      .http()
      .get('/api/v1/audit-events')
      .query({ limit: 200, ...query })
      .set(owner());
    expect(response.status).toBe(200);
    return (response.body as PageBody<AuditEventBody>).items;
  }

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

  /** A new trip of `agency` over 1 March 2024 with a station in Almaty and a meeting there. */
  async function tripWithMeeting(agency: Agency = desk) {
    const created = await createTrip(
      t,
      agency,
      tripBody({
        title: `Delegationsreise Kasachstan ${tag()}`,
        startDate: '2024-02-26',
        endDate: '2024-03-05',
      }),
    );
    const almaty = await addStation(t, agency, created.id, {
      city: 'Almaty',
      country: 'KZ',
      timezone: 'Asia/Almaty',
      arrivalDate: '2024-02-27',
      departureDate: '2024-03-04',
    });
    const held = await createMeeting(t, agency, created.id, almaty.id, {
      title: 'Unterzeichnung bei ATAMEKEN',
      kind: 'government_talk',
    });
    return { trip: created, meeting: held };
  }

  beforeAll(async () => {
    t = await startTestApp();
    [desk, rival] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
    ]);
    const zones = await Promise.all([
      call(owner(desk), 'patch', '/tenant', { timezone: DESK_ZONE }),
      call(owner(rival), 'patch', '/tenant', { timezone: RIVAL_ZONE }),
    ]);
    for (const response of zones) expect(response.status).toBe(200);

    const scopes: KeyScope[] = ['agreements:read', 'agreements:write', 'directory:read'];
    const [staff, keys, organisations, trips, rivalIds] = await Promise.all([
      Promise.all([
        addStaff(t, desk, 'admin', 'Sabine Vogel'),
        addStaff(t, desk, 'organiser', 'Jonas Becker'),
        addStaff(t, desk, 'viewer', 'Lena Hoffmann'),
      ]),
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
          name: 'Deutsch-Kasachische Universität',
          kind: 'university',
          country: 'KZ',
          city: 'Almaty',
        }),
      ]),
      Promise.all([tripWithMeeting(desk), tripWithMeeting(desk)]),
      Promise.all([
        createOrganisation(t, rival, { name: 'Kazakh Invest', kind: 'agency', country: 'KZ' }),
        createContact(t, rival, { firstName: 'Nurlan', lastName: 'Abenov', email: undefined }),
        createTrip(t, rival, tripBody()),
      ]),
    ]);
    [deskAdmin, deskOrganiser, deskViewer] = staff;
    scopes.forEach((scope, index) => (keyWith[scope] = keys[index]));
    [atameken, university] = organisations;
    [{ trip, meeting }, { trip: otherTrip, meeting: otherMeeting }] = trips;
    [rivalOrganisation, rivalContact, rivalTrip] = rivalIds.map((record) => record.id);
    const contacts = await Promise.all([
      createContact(t, desk, {
        firstName: 'Timur',
        lastName: 'Kulibayev',
        position: 'Vorsitzender des Präsidiums',
        partnerOrganisationId: atameken.id,
      }),
      createContact(t, desk, {
        firstName: 'Aigerim',
        lastName: 'Sadykova',
        position: 'Stellvertretende Vorsitzende',
        partnerOrganisationId: atameken.id,
      }),
      createContact(t, desk, {
        firstName: 'Erlan',
        lastName: 'Sagadiyev',
        position: 'Rektor',
        partnerOrganisationId: university.id,
      }),
    ]);
    [chairman, deputy, rector] = contacts.map((contact) => contact.id);
  });

  afterAll(() => t.close());

  describe('creating and reading', () => {
    it("POST creates a draft with the defaults, statusSince the agency's today, Location and ETag; GET shows the same", async () => {
      const before = todayIn(DESK_ZONE);
      const response = await post({
        title: 'Kooperationsvertrag zum Studierendenaustausch',
        kind: 'cooperation_agreement',
        category: 'academic',
        parties: [{ organisationId: university.id }],
      });
      expect(response.status).toBe(201);
      const agreement = response.body as AgreementBody;
      expect(agreement).toEqual({
        id: expect.any(String),
        title: 'Kooperationsvertrag zum Studierendenaustausch',
        kind: 'cooperation_agreement',
        category: 'academic',
        status: 'draft',
        statusSince: expect.any(String),
        allowedTransitions: expect.any(Array),
        parties: [{ organisationId: university.id, signatoryContactIds: [] }],
        agencyIsParty: false,
        tripId: null,
        meetingId: null,
        summary: null,
        signedOn: null,
        signedIn: null,
        validUntil: null,
        documentUrl: null,
        tags: [],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
      });
      expect([before, todayIn(DESK_ZONE)]).toContain(agreement.statusSince);
      expect(sorted(agreement.allowedTransitions)).toEqual(sorted(NEXT.draft));
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers.location).toBe(`/api/v1/agreements/${agreement.id}`);

      const fetched = await t.http().get(String(response.headers.location)).set(owner());
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(agreement);
      expect(fetched.headers.etag).toBe('"1"');
    });

    it("statusSince is each agency's own today (Pago Pago is a day or two behind Kiritimati)", async () => {
      const theirOrganisation = await createOrganisation(t, rival, {
        name: 'Uzbekistan Chamber of Commerce',
        country: 'UZ',
      });
      const before = todayIn(RIVAL_ZONE);
      const response = await post(
        {
          title: 'MoU Textil',
          kind: 'mou',
          category: 'business',
          parties: [{ organisationId: theirOrganisation.id }],
        },
        owner(rival),
      );
      expect(response.status).toBe(201);
      expect([before, todayIn(RIVAL_ZONE)]).toContain(response.body.statusSince);
      expect(response.body.statusSince).not.toBe(todayIn(DESK_ZONE));
    });

    it('every field round-trips: parties and signatories in order, trip and meeting, signedIn (country upper-cased), dates, link, tags', async () => {
      const body = {
        title: 'Memorandum of Understanding zur dualen Berufsausbildung im Maschinenbau',
        kind: 'mou',
        category: 'business',
        parties: [
          { organisationId: university.id, signatoryContactIds: [rector] },
          { organisationId: atameken.id, signatoryContactIds: [deputy, chairman] },
        ],
        agencyIsParty: true,
        tripId: trip.id,
        meetingId: meeting.id,
        summary: 'Gemeinsames Ausbildungsprogramm für 40 Mechatronik-Auszubildende im Jahr.',
        signedOn: '2024-03-01',
        signedIn: { city: 'Almaty', country: 'kz' },
        validUntil: '2027-02-28',
        documentUrl: 'https://dms.example.org/agreements/mou-atameken-2024.pdf',
        tags: ['Berufsbildung', 'Maschinenbau'],
      };
      const response = await post(body);
      expect(response.status).toBe(201);
      const agreement = response.body as AgreementBody;
      expect(agreement).toMatchObject({
        ...body,
        signedIn: { city: 'Almaty', country: 'KZ' },
        status: 'draft',
        version: 1,
      });
      expect(agreement.parties).toEqual(body.parties);
      expect((await getAgreement(agreement.id)).agreement).toEqual(agreement);

      // The other order is kept just as well: nothing is sorted.
      const reversed = [
        { organisationId: atameken.id, signatoryContactIds: [chairman, deputy] },
        { organisationId: university.id, signatoryContactIds: [rector] },
      ];
      const again = await createAgreement({ parties: reversed });
      expect(again.parties).toEqual(reversed);
      expect((await getAgreement(again.id)).agreement.parties).toEqual(reversed);
    });

    it("the contract's request examples work as sent, with real ids in place of the example ids", async () => {
      const real: Record<string, string> = {
        [EXAMPLE_IDS.chamber]: atameken.id,
        [EXAMPLE_IDS.chairman]: chairman,
        [EXAMPLE_IDS.university]: university.id,
        [EXAMPLE_IDS.trip]: trip.id,
        [EXAMPLE_IDS.meeting]: meeting.id,
      };
      const withRealIds = (value: object): Body =>
        JSON.parse(JSON.stringify(value).replace(/[0-9a-f-]{36}/g, (id) => real[id] ?? id)) as Body;

      const created: AgreementBody[] = [];
      for (const [name, { value }] of Object.entries(CREATE_AGREEMENT_EXAMPLES)) {
        const response = await post(withRealIds(value));
        expect({ name, status: response.status }).toEqual({ name, status: 201 });
        created.push(response.body as AgreementBody);
      }
      expect(created[0]).toMatchObject({
        ...withRealIds(CREATE_AGREEMENT_EXAMPLES.mou.value),
        parties: [{ organisationId: atameken.id, signatoryContactIds: [chairman] }],
        status: 'draft',
      });
      expect(created[1]).toMatchObject({
        parties: [{ organisationId: university.id, signatoryContactIds: [] }],
        status: 'draft',
      });

      let agreement = created[0];
      for (const [name, { value }] of Object.entries(UPDATE_AGREEMENT_EXAMPLES)) {
        const response = await patch(agreement.id, withRealIds(value));
        expect({ name, status: response.status }).toEqual({ name, status: 200 });
        agreement = response.body as AgreementBody;
      }
      expect(agreement).toMatchObject({
        parties: [{ organisationId: university.id, signatoryContactIds: [chairman] }],
        validUntil: '2029-12-31',
        signedOn: '2024-03-01',
      });
    });
  });

  describe('validation', () => {
    const INVALID: [string, () => Body, string | string[]][] = [
      ['no title', () => agreementBody({ title: undefined }), 'title'],
      ['a blank title', () => agreementBody({ title: '   ' }), 'title'],
      ['no parties', () => agreementBody({ parties: undefined }), 'parties'],
      ['an empty list of parties', () => agreementBody({ parties: [] }), 'parties'],
      [
        'an unknown party',
        () => agreementBody({ parties: [{ organisationId: randomUUID() }] }),
        'parties[0].organisationId',
      ],
      [
        "another agency's organisation as a party",
        () =>
          agreementBody({
            parties: [{ organisationId: atameken.id }, { organisationId: rivalOrganisation }],
          }),
        'parties[1].organisationId',
      ],
      [
        'the same organisation twice',
        () =>
          agreementBody({
            parties: [
              { organisationId: atameken.id, signatoryContactIds: [chairman] },
              { organisationId: university.id },
              { organisationId: atameken.id },
            ],
          }),
        'parties[2].organisationId',
      ],
      [
        "another agency's contact as signatory",
        () =>
          agreementBody({
            parties: [
              { organisationId: atameken.id, signatoryContactIds: [chairman, rivalContact] },
            ],
          }),
        'parties[0].signatoryContactIds',
      ],
      [
        'an unknown signatory',
        () =>
          agreementBody({
            parties: [{ organisationId: atameken.id, signatoryContactIds: [randomUUID()] }],
          }),
        'parties[0].signatoryContactIds',
      ],
      ['a meetingId without tripId', () => agreementBody({ meetingId: meeting.id }), 'meetingId'],
      [
        'a meeting of another trip',
        () => agreementBody({ tripId: trip.id, meetingId: otherMeeting.id }),
        'meetingId',
      ],
      ["another agency's trip", () => agreementBody({ tripId: rivalTrip }), 'tripId'],
      ['an unknown trip', () => agreementBody({ tripId: randomUUID() }), 'tripId'],
      [
        'validUntil before signedOn',
        () => agreementBody({ signedOn: '2024-03-01', validUntil: '2024-02-29' }),
        'validUntil',
      ],
      ['a signedOn on 30 February', () => agreementBody({ signedOn: '2024-02-30' }), 'signedOn'],
      [
        'an http:// documentUrl',
        () => agreementBody({ documentUrl: 'http://dms.example.org/mou.pdf' }),
        'documentUrl',
      ],
      [
        'a javascript: documentUrl',
        () => agreementBody({ documentUrl: 'javascript:alert(1)' }),
        'documentUrl',
      ],
      [
        'signedIn without a country',
        () => agreementBody({ signedIn: { city: 'Almaty' } }),
        'signedIn.country',
      ],
      [
        'signedIn in an unknown country',
        () => agreementBody({ signedIn: { city: 'Almaty', country: 'XX' } }),
        'signedIn.country',
      ],
      ['an unknown kind', () => agreementBody({ kind: 'treaty' }), 'kind'],
      ['an unknown category', () => agreementBody({ category: 'cultural' }), 'category'],
      ['a status (read-only)', () => agreementBody({ status: 'signed' }), 'status'],
      ['an unknown field', () => agreementBody({ budget: 1200 }), 'budget'],
    ];

    it.each(named(INVALID))(
      'POST with %s is 400 naming %s and creates nothing',
      async (_, fields, body) => {
        const before = await allIds();
        expectInvalid(await post(body()), fields);
        expect(await allIds()).toEqual(before);
      },
    );

    describe('PATCH', () => {
      let agreement: AgreementBody;
      beforeAll(async () => {
        agreement = await createAgreement({
          tripId: trip.id,
          meetingId: meeting.id,
          signedOn: '2024-03-01',
          validUntil: '2027-02-28',
        });
      });

      const INVALID_CHANGES: [string, () => Body, string | string[]][] = [
        ['an empty list of parties', () => ({ parties: [] }), 'parties'],
        ['null parties', () => ({ parties: null }), 'parties'],
        [
          "another agency's organisation",
          () => ({ parties: [{ organisationId: rivalOrganisation }] }),
          'parties[0].organisationId',
        ],
        [
          'the same organisation twice',
          () => ({ parties: [{ organisationId: atameken.id }, { organisationId: atameken.id }] }),
          'parties[1].organisationId',
        ],
        [
          "another agency's contact as signatory",
          () => ({
            parties: [{ organisationId: atameken.id, signatoryContactIds: [rivalContact] }],
          }),
          'parties[0].signatoryContactIds',
        ],
        ['tripId null while the meeting stays', () => ({ tripId: null }), 'meetingId'],
        ['another trip than the meeting’s', () => ({ tripId: otherTrip.id }), 'meetingId'],
        ["another agency's trip", () => ({ tripId: rivalTrip, meetingId: null }), 'tripId'],
        ['a validUntil before signedOn', () => ({ validUntil: '2024-02-29' }), 'validUntil'],
        ['a signedOn after validUntil', () => ({ signedOn: '2027-03-01' }), 'validUntil'],
        [
          'an http:// documentUrl',
          () => ({ documentUrl: 'http://dms.example.org/x.pdf' }),
          'documentUrl',
        ],
        ['a null title', () => ({ title: null }), 'title'],
        ['a null kind', () => ({ kind: null }), 'kind'],
        ['an unknown category', () => ({ category: 'cultural' }), 'category'],
        ['a null agencyIsParty', () => ({ agencyIsParty: null }), 'agencyIsParty'],
        ['a status', () => ({ status: 'signed' }), 'status'],
        ['an unknown field', () => ({ budget: 1200 }), 'budget'],
      ];

      it.each(named(INVALID_CHANGES))(
        'with %s is 400 naming %s and changes nothing',
        async (_, fields, body) => {
          expectInvalid(await patch(agreement.id, body()), fields);
          await expectUnchanged(agreement);
        },
      );
    });

    it.each(
      named<Body, string>([
        ['an unknown status', { to: 'ratified' }, 'to'],
        ['no status', {}, 'to'],
        ['an on that is no date', { to: 'negotiating', on: 'gestern' }, 'on'],
        ['an unknown field', { to: 'negotiating', reason: 'Gespräche begonnen' }, 'reason'],
      ]),
    )('a transition with %s is 400 naming %s', async (_, field, body) => {
      const agreement = await createAgreement();
      expectInvalid(await transition(agreement.id, body), field);
      await expectUnchanged(agreement);
    });
  });

  describe('lifecycle', () => {
    /** For each status, one agreement the refused transitions try, and one per allowed transition. */
    const refusing = {} as Record<AgreementStatus, AgreementBody>;
    const forPair = new Map<string, AgreementBody>();
    beforeAll(async () => {
      await Promise.all(
        STATUSES.map(async (status) => {
          refusing[status] = await agreementIn(status, { title: `Abkommen (${status})` });
          for (const to of NEXT[status]) {
            forPair.set(
              `${status}→${to}`,
              await agreementIn(status, { title: `${status} → ${to}` }),
            );
          }
        }),
      );
    });

    it.each(PAIRS)('$from → $to: allowed $allowed', async ({ from, to, allowed }) => {
      if (allowed) {
        const agreement = forPair.get(`${from}→${to}`)!;
        expect(agreement.status).toBe(from);
        const before = todayIn(DESK_ZONE);
        const response = await transition(agreement.id, { to });
        expect(response.status).toBe(200);
        const body = response.body as AgreementBody;
        expect({ ...body, allowedTransitions: sorted(body.allowedTransitions) }).toEqual({
          ...agreement,
          status: to,
          statusSince: expect.any(String),
          allowedTransitions: sorted(NEXT[to]),
          updatedAt: expect.any(String),
          version: agreement.version + 1,
        });
        expect([before, todayIn(DESK_ZONE)]).toContain(body.statusSince);
        expect(response.headers.etag).toBe(`"${agreement.version + 1}"`);
        expect((await getAgreement(agreement.id)).agreement).toEqual(body);
      } else {
        const agreement = refusing[from];
        expect(agreement.status).toBe(from);
        const response = await transition(agreement.id, { to });
        expectProblem(response, 409, 'illegal_transition');
        expect(response.body).toMatchObject({ from, to });
        expect(sorted(response.body.allowedTransitions as string[])).toEqual(sorted(NEXT[from]));
        await expectUnchanged(agreement);
      }
    });

    it('GET shows exactly the allowed transitions of each status', async () => {
      for (const status of STATUSES) {
        const { agreement } = await getAgreement(refusing[status].id);
        expect({ status, next: sorted(agreement.allowedTransitions) }).toEqual({
          status,
          next: sorted(NEXT[status]),
        });
      }
    });

    it('`on` becomes statusSince of any transition', async () => {
      const agreement = await createAgreement();
      const response = await transition(agreement.id, { to: 'negotiating', on: '2024-01-15' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'negotiating', statusSince: '2024-01-15' });
    });
  });

  describe('signing needs the day and a signatory', () => {
    it('negotiating → signed without signedOn is 400 naming signedOn; nothing changes', async () => {
      const agreement = await agreementIn('negotiating', { signedOn: null });
      expectInvalid(await transition(agreement.id, { to: 'signed' }), 'signedOn');
      await expectUnchanged(agreement);
    });

    it('negotiating → signed without any signatory is 400 naming parties; nothing changes', async () => {
      const agreement = await agreementIn('negotiating', {
        parties: [{ organisationId: atameken.id }, { organisationId: university.id }],
      });
      expectInvalid(await transition(agreement.id, { to: 'signed' }), 'parties');
      await expectUnchanged(agreement);
    });

    it('with neither, the 400 names both', async () => {
      const agreement = await agreementIn('negotiating', {
        signedOn: null,
        parties: [{ organisationId: atameken.id }],
      });
      expectInvalid(await transition(agreement.id, { to: 'signed', on: undefined }), [
        'parties',
        'signedOn',
      ]);
      await expectUnchanged(agreement);
    });

    it("{ to: 'signed', on } sets signedOn and statusSince to that day", async () => {
      const agreement = await agreementIn('negotiating', { signedOn: null });
      const response = await transition(agreement.id, { to: 'signed', on: '2024-03-01' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'signed',
        signedOn: '2024-03-01',
        statusSince: '2024-03-01',
      });
      expect((await getAgreement(agreement.id)).agreement).toEqual(response.body);
    });

    it("`on` may be the agency's today (in Kiritimati, often tomorrow in UTC) but not after it: 400 naming on", async () => {
      const agreement = await agreementIn('negotiating', { signedOn: null });
      const today = todayIn(DESK_ZONE);
      expectInvalid(await transition(agreement.id, { to: 'signed', on: dayAfter(today) }), 'on');
      await expectUnchanged(agreement);
      const response = await transition(agreement.id, { to: 'signed', on: todayIn(DESK_ZONE) });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        signedOn: todayIn(DESK_ZONE),
        statusSince: todayIn(DESK_ZONE),
      });
    });

    it('what follows the signing cannot be dated before it: in force or terminated `on` an earlier day is 400 naming on', async () => {
      const signed = await agreementIn('signed');
      expectInvalid(await transition(signed.id, { to: 'in_force', on: '2024-02-29' }), 'on');
      expectInvalid(await transition(signed.id, { to: 'terminated', on: '2024-02-29' }), 'on');
      await expectUnchanged(signed);
      const inForce = await transition(signed.id, { to: 'in_force', on: '2024-03-01' });
      expect(inForce.status).toBe(200);
      expect(inForce.body).toMatchObject({ status: 'in_force', statusSince: '2024-03-01' });
    });

    it('signing on a day after validUntil is 400 naming validUntil', async () => {
      const agreement = await agreementIn('negotiating', {
        signedOn: null,
        validUntil: '2024-02-29',
      });
      expectInvalid(
        await transition(agreement.id, { to: 'signed', on: '2024-03-01' }),
        'validUntil',
      );
      await expectUnchanged(agreement);
    });

    it.each(SIGNED_ONES)(
      'once %s, PATCH signedOn null or parties without signatories is 400 and changes nothing',
      async (status) => {
        const agreement = await agreementIn(status);
        expectInvalid(await patch(agreement.id, { signedOn: null }), 'signedOn');
        expectInvalid(
          await patch(agreement.id, {
            parties: [
              { organisationId: atameken.id, signatoryContactIds: [] },
              { organisationId: university.id },
            ],
          }),
          'parties',
        );
        await expectUnchanged(agreement);
        // Another signatory, or another day, is fine.
        const changed = await patch(agreement.id, {
          signedOn: '2024-03-02',
          parties: [{ organisationId: university.id, signatoryContactIds: [rector] }],
        });
        expect(changed.status).toBe(200);
      },
    );
  });

  describe('changing and deleting', () => {
    it('PATCH changes only what is sent; null clears; parties replaces the list', async () => {
      const agreement = await createAgreement({
        title: 'MoU Berufsbildung',
        parties: [
          { organisationId: atameken.id, signatoryContactIds: [chairman, deputy] },
          { organisationId: university.id, signatoryContactIds: [rector] },
        ],
        tripId: trip.id,
        meetingId: meeting.id,
        summary: 'Erste Fassung.',
        signedOn: '2024-03-01',
        signedIn: { city: 'Almaty', country: 'KZ' },
        validUntil: '2027-02-28',
        documentUrl: 'https://dms.example.org/mou.pdf',
        tags: ['Berufsbildung'],
      });
      const response = await patch(agreement.id, {
        title: 'MoU Berufsbildung (unterzeichnete Fassung)',
        parties: [{ organisationId: university.id, signatoryContactIds: [rector] }],
        summary: null,
        signedIn: { city: 'Astana', country: 'kz' },
        tags: ['Berufsbildung', 'Mechatronik'],
      });
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(response.body).toEqual({
        ...agreement,
        title: 'MoU Berufsbildung (unterzeichnete Fassung)',
        parties: [{ organisationId: university.id, signatoryContactIds: [rector] }],
        summary: null,
        signedIn: { city: 'Astana', country: 'KZ' },
        tags: ['Berufsbildung', 'Mechatronik'],
        updatedAt: expect.any(String),
        version: 2,
      });
      expect((await getAgreement(agreement.id)).agreement).toEqual(response.body);

      const cleared = await patch(agreement.id, {
        tripId: null,
        meetingId: null,
        signedIn: null,
        documentUrl: null,
        tags: [],
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        tripId: null,
        meetingId: null,
        signedIn: null,
        documentUrl: null,
        tags: [],
        signedOn: '2024-03-01',
        validUntil: '2027-02-28',
        version: 3,
      });
    });

    it('a PATCH of only the parties is a change: new version and ETag, seen by If-None-Match, If-Match and updatedSince', async () => {
      const agreement = await createAgreement();
      const cached = await call(owner(), 'get', pathOf(agreement.id)).set('If-None-Match', '"1"');
      expect(cached.status).toBe(304);

      const parties = [{ organisationId: university.id, signatoryContactIds: [rector] }];
      const response = await patch(agreement.id, { parties });
      expect(response.status).toBe(200);
      expect(response.body.parties).toEqual(parties);

      // What a client relying on the ETag or on updatedSince sees afterwards.
      const revalidated = await call(owner(), 'get', pathOf(agreement.id)).set(
        'If-None-Match',
        '"1"',
      );
      const changedSince = await listPage({
        updatedSince: new Date(Date.parse(agreement.updatedAt) + 1).toISOString(),
      });
      const staleWrite = await patch(agreement.id, { summary: 'Auf Basis von Version 1' }).set(
        'If-Match',
        '"1"',
      );
      expect({
        version: response.body.version as number,
        etag: response.headers.etag,
        revalidated: revalidated.status,
        listedAsChanged: changedSince.items.some((item) => item.id === agreement.id),
        staleWrite: staleWrite.status,
      }).toEqual({
        version: 2,
        etag: '"2"',
        revalidated: 200,
        listedAsChanged: true,
        staleWrite: 412,
      });
    });

    it('If-Match: the current version is taken, a stale one is 412 and changes nothing', async () => {
      const agreement = await createAgreement();
      const first = await patch(agreement.id, { summary: 'Erste Fassung' }).set('If-Match', '"1"');
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      const changed = first.body as AgreementBody;
      expectProblem(
        await patch(agreement.id, { summary: 'Zweite Fassung' }).set('If-Match', '"1"'),
        412,
        'precondition_failed',
      );
      expectProblem(
        await transition(agreement.id, { to: 'negotiating' }).set('If-Match', '"1"'),
        412,
        'precondition_failed',
      );
      expectProblem(
        await call(owner(), 'delete', pathOf(agreement.id)).set('If-Match', '"1"'),
        412,
        'precondition_failed',
      );
      await expectUnchanged(changed);
    });

    it('a PATCH that changes nothing keeps the version and records nothing', async () => {
      const agreement = await createAgreement({
        tags: ['Berufsbildung'],
        signedIn: { city: 'Almaty', country: 'KZ' },
      });
      const response = await patch(agreement.id, {
        title: agreement.title,
        parties: agreement.parties,
        tags: ['Berufsbildung'],
        signedIn: { city: 'Almaty', country: 'kz' },
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual(agreement);
      expect(response.headers.etag).toBe('"1"');
      await expectUnchanged(agreement);
      const events = await auditEvents({ entityType: 'agreement', entityId: agreement.id });
      expect(events.map((event) => event.action)).toEqual(['agreement.created']);
    });

    it('DELETE removes a draft: 204, then 404 (GET, PATCH, DELETE), gone from the list, audited', async () => {
      const agreement = await createAgreement();
      const deleted = await call(owner(), 'delete', pathOf(agreement.id));
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectProblem(await call(owner(), 'get', pathOf(agreement.id)), 404, 'not_found');
      expectProblem(await patch(agreement.id, { summary: 'x' }), 404, 'not_found');
      expectProblem(await call(owner(), 'delete', pathOf(agreement.id)), 404, 'not_found');
      expect(await allIds()).not.toContain(agreement.id);
      const events = await auditEvents({ entityType: 'agreement', entityId: agreement.id });
      expect(events.map((event) => event.action)).toEqual([
        'agreement.deleted',
        'agreement.created',
      ]);
    });

    it.each(STATUSES.filter((status) => status !== 'draft'))(
      'DELETE of a %s agreement is 409 agreement_not_draft and it stays',
      async (status) => {
        const agreement = await agreementIn(status);
        const response = await call(owner(), 'delete', pathOf(agreement.id));
        expectProblem(response, 409, 'agreement_not_draft');
        expect(response.body.detail).toContain(status);
        await expectUnchanged(agreement);
      },
    );

    it("the 409 agreement_not_draft says the agreement's status in a member of its own, not only in the detail", async () => {
      const agreement = await agreementIn('negotiating');
      const response = await call(owner(), 'delete', pathOf(agreement.id));
      expectProblem(response, 409, 'agreement_not_draft');
      expect(response.body).toMatchObject({ agreementStatus: 'negotiating' });
    });
  });

  describe('the list', () => {
    /** An agency of its own, so the list holds exactly these agreements. */
    let shelf: Agency;
    let kz: OrganisationBody;
    let de: OrganisationBody;
    let uz: OrganisationBody;
    let tripA: TripBody;
    let tripB: TripBody;
    const a = {} as Record<'a1' | 'a2' | 'a3' | 'a4' | 'a5' | 'a6', AgreementBody>;
    const nameOf = (id: string) =>
      (Object.keys(a) as (keyof typeof a)[]).find((name) => a[name].id === id) ?? id;
    const names = (items: AgreementBody[]) => items.map((item) => nameOf(item.id));

    beforeAll(async () => {
      shelf = await signUpAgency(t, { tenantName: 'Wirtschaftsförderung Sachsen' });
      [kz, de, uz] = await Promise.all([
        createOrganisation(t, shelf, {
          name: 'NATIONALE UNTERNEHMERKAMMER ATAMEKEN',
          kind: 'chamber',
          country: 'KZ',
        }),
        createOrganisation(t, shelf, {
          name: 'Technische Universität Ilmenau',
          kind: 'university',
          country: 'DE',
        }),
        createOrganisation(t, shelf, {
          name: 'Uzbekistan Chamber of Commerce and Industry',
          kind: 'chamber',
          country: 'UZ',
        }),
      ]);
      const [kzSigner, deSigner, uzSigner] = await Promise.all(
        [kz, de, uz].map((organisation) =>
          createContact(t, shelf, {
            lastName: 'Unterzeichner',
            partnerOrganisationId: organisation.id,
          }),
        ),
      );
      [tripA, tripB] = await Promise.all([createTrip(t, shelf), createTrip(t, shelf)]);
      const as = owner(shelf);
      const make = async (fields: Body, status: AgreementStatus) =>
        move(await createAgreement(fields, as), ROUTE[status], as);
      // Created one after the other: a1 first, a6 last.
      a.a1 = await make(
        {
          title: 'MoU zur Berufsbildung',
          kind: 'mou',
          category: 'business',
          parties: [{ organisationId: kz.id, signatoryContactIds: [kzSigner.id] }],
          signedOn: '2023-05-10',
          tripId: tripA.id,
        },
        'in_force',
      );
      a.a2 = await make(
        {
          title: 'Kooperationsvertrag Studierendenaustausch',
          kind: 'cooperation_agreement',
          category: 'academic',
          parties: [
            { organisationId: de.id, signatoryContactIds: [deSigner.id] },
            { organisationId: kz.id },
          ],
          signedOn: '2024-03-01',
          tripId: tripB.id,
        },
        'signed',
      );
      a.a3 = await make(
        {
          title: 'Letter of Intent Textilindustrie',
          kind: 'letter_of_intent',
          category: 'business',
          parties: [{ organisationId: uz.id }],
          tripId: tripA.id,
        },
        'negotiating',
      );
      a.a4 = await make(
        {
          title: 'Regierungsabkommen Wasserwirtschaft',
          kind: 'contract',
          category: 'government',
          parties: [{ organisationId: uz.id, signatoryContactIds: [uzSigner.id] }],
          signedOn: '2024-11-20',
        },
        'draft',
      );
      a.a5 = await make(
        {
          title: 'Entwurf Forschungskooperation',
          kind: 'cooperation_agreement',
          category: 'academic',
          parties: [{ organisationId: de.id }],
        },
        'draft',
      );
      a.a6 = await make(
        {
          title: 'Rahmenvertrag Logistik',
          kind: 'contract',
          category: 'business',
          parties: [{ organisationId: kz.id, signatoryContactIds: [kzSigner.id] }],
          signedOn: '2024-03-01',
        },
        'abandoned',
      );
    });

    it('lists unsigned ones first (newest first), then by signedOn newest first, ties by creation newest first; each as GET shows it', async () => {
      const page = await listPage({}, shelf);
      expect(page.nextCursor).toBeNull();
      expect(names(page.items)).toEqual(['a5', 'a3', 'a4', 'a6', 'a2', 'a1']);
      for (const item of page.items) {
        expect(item).toEqual((await call(owner(shelf), 'get', pathOf(item.id))).body);
      }
    });

    it('pages with limit 2, each agreement exactly once', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page: PageBody<AgreementBody> = await listPage(
          { limit: 2, ...(cursor ? { cursor } : {}) },
          shelf,
        );
        seen.push(...names(page.items));
        sizes.push(page.items.length);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['a5', 'a3', 'a4', 'a6', 'a2', 'a1']);
      expect(sizes.every((size) => size <= 2)).toBe(true);
    });

    const FILTERS: [string, () => Record<string, string | number>, string[]][] = [
      ['status=draft', () => ({ status: 'draft' }), ['a5', 'a4']],
      ['status=negotiating', () => ({ status: 'negotiating' }), ['a3']],
      ['status=signed', () => ({ status: 'signed' }), ['a2']],
      ['status=in_force', () => ({ status: 'in_force' }), ['a1']],
      ['status=abandoned', () => ({ status: 'abandoned' }), ['a6']],
      ['status=expired', () => ({ status: 'expired' }), []],
      ['kind=contract', () => ({ kind: 'contract' }), ['a4', 'a6']],
      ['kind=mou', () => ({ kind: 'mou' }), ['a1']],
      ['kind=letter_of_intent', () => ({ kind: 'letter_of_intent' }), ['a3']],
      ['category=academic', () => ({ category: 'academic' }), ['a5', 'a2']],
      ['category=government', () => ({ category: 'government' }), ['a4']],
      ['tripId=A', () => ({ tripId: tripA.id }), ['a3', 'a1']],
      ['tripId=B', () => ({ tripId: tripB.id }), ['a2']],
      ['tripId=unknown', () => ({ tripId: randomUUID() }), []],
      [
        'organisationId=ATAMEKEN (first or second party)',
        () => ({ organisationId: kz.id }),
        ['a6', 'a2', 'a1'],
      ],
      ['organisationId=TU Ilmenau', () => ({ organisationId: de.id }), ['a5', 'a2']],
      ['country=KZ', () => ({ country: 'KZ' }), ['a6', 'a2', 'a1']],
      ['country=DE (any party)', () => ({ country: 'DE' }), ['a5', 'a2']],
      ['country=uz (lower case)', () => ({ country: 'uz' }), ['a3', 'a4']],
      ['country=FR', () => ({ country: 'FR' }), []],
      ['year=2024', () => ({ year: 2024 }), ['a4', 'a6', 'a2']],
      ['year=2023', () => ({ year: 2023 }), ['a1']],
      ['year=2022', () => ({ year: 2022 }), []],
      [
        'signedFrom=2024-03-01 (inclusive)',
        () => ({ signedFrom: '2024-03-01' }),
        ['a4', 'a6', 'a2'],
      ],
      ['signedTo=2024-03-01 (inclusive)', () => ({ signedTo: '2024-03-01' }), ['a6', 'a2', 'a1']],
      [
        'signedFrom=2024-03-02&signedTo=2024-11-20',
        () => ({ signedFrom: '2024-03-02', signedTo: '2024-11-20' }),
        ['a4'],
      ],
      ['q=atameken (a party, upper case)', () => ({ q: 'atameken' }), ['a6', 'a2', 'a1']],
      ['q=Universitat (a party, with ä)', () => ({ q: 'Universitat' }), ['a5', 'a2']],
      ['q=berufsbildung (title)', () => ({ q: 'berufsbildung' }), ['a1']],
      ['q=TEXTILINDUSTRIE (title)', () => ({ q: 'TEXTILINDUSTRIE' }), ['a3']],
      ['q=Uzbekistan Chamber (party)', () => ({ q: 'Uzbekistan Chamber' }), ['a3', 'a4']],
      ['q=Photovoltaik', () => ({ q: 'Photovoltaik' }), []],
      ['status=draft&category=academic', () => ({ status: 'draft', category: 'academic' }), ['a5']],
      ['country=KZ&year=2024', () => ({ country: 'KZ', year: 2024 }), ['a6', 'a2']],
    ];

    it.each(FILTERS)('%s lists %j', async (_, query, expected) => {
      const page = await listPage(query(), shelf);
      expect(names(page.items)).toEqual(expected);
      expect(page.nextCursor).toBeNull();
    });

    it('updatedSince lists the agreements changed at or after that instant; a transition is a change', async () => {
      const everything = (await listPage({}, shelf)).items;
      const earliest = sorted(everything.map((item) => item.updatedAt))[0];
      expect((await listPage({ updatedSince: earliest }, shelf)).items).toHaveLength(6);

      const changed = await patch(a.a3.id, { summary: 'Gespräche im Mai.' }, owner(shelf));
      expect(changed.status).toBe(200);
      const since = (changed.body as AgreementBody).updatedAt;
      expect(names((await listPage({ updatedSince: since }, shelf)).items)).toEqual(['a3']);
      const later = new Date(Date.parse(since) + 1).toISOString();
      expect((await listPage({ updatedSince: later }, shelf)).items).toEqual([]);

      const moved = await transition(a.a5.id, { to: 'negotiating' }, owner(shelf));
      expect(moved.status).toBe(200);
      const afterTransition = await listPage(
        { updatedSince: (moved.body as AgreementBody).updatedAt },
        shelf,
      );
      expect(names(afterTransition.items)).toEqual(['a5']);
    });

    it.each([
      ['status=pending', 'status'],
      ['kind=treaty', 'kind'],
      ['category=cultural', 'category'],
      ['tripId=kasachstan', 'tripId'],
      ['organisationId=atameken', 'organisationId'],
      ['country=XX', 'country'],
      ['country=Kasachstan', 'country'],
      ['year=zweitausend', 'year'],
      ['year=1800', 'year'],
      ['signedFrom=2024-02-30', 'signedFrom'],
      ['signedTo=morgen', 'signedTo'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['updatedSince=gestern', 'updatedSince'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=nonsense', 'cursor'],
      ['colour=red', 'colour'],
    ])('GET /agreements?%s is 400 naming %s', async (query, field) => {
      expectInvalid(await call(owner(shelf), 'get', `/agreements?${query}`), field);
    });
  });

  describe('counts on trips and partner organisations', () => {
    it("a trip's GET shows agreementCounts per status of its agreements", async () => {
      const [{ trip: own }, empty] = await Promise.all([
        tripWithMeeting(),
        createTrip(t, desk, tripBody({ title: `Ohne Abkommen ${tag()}` })),
      ]);
      const [draft] = await Promise.all([
        agreementIn('draft', { tripId: own.id }),
        agreementIn('draft', { tripId: own.id }),
        agreementIn('negotiating', { tripId: own.id }),
        agreementIn('in_force', { tripId: own.id }),
        agreementIn('abandoned', { tripId: own.id }),
        agreementIn('signed', { tripId: otherTrip.id }),
      ]);
      const countsOf = async (tripId: string) => {
        const response = await call(owner(), 'get', `/trips/${tripId}`);
        expect(response.status).toBe(200);
        return (response.body as { agreementCounts: Record<string, number> }).agreementCounts;
      };
      expect(await countsOf(own.id)).toEqual({
        draft: 2,
        negotiating: 1,
        in_force: 1,
        abandoned: 1,
      });
      expect(await countsOf(empty.id)).toEqual({});

      await move(draft, ['negotiating']);
      expect(await countsOf(own.id)).toEqual({
        draft: 1,
        negotiating: 2,
        in_force: 1,
        abandoned: 1,
      });
      expect((await patch(draft.id, { tripId: empty.id })).status).toBe(200);
      expect(await countsOf(own.id)).toEqual({
        draft: 1,
        negotiating: 1,
        in_force: 1,
        abandoned: 1,
      });
      expect(await countsOf(empty.id)).toEqual({ negotiating: 1 });
    });

    it("a partner organisation's GET shows agreementCounts of the agreements it is party to", async () => {
      const [party, bystander] = await Promise.all([
        createOrganisation(t, desk, { name: `Kazakh Invest ${tag()}`, country: 'KZ' }),
        createOrganisation(t, desk, { name: `KazakhExport ${tag()}`, country: 'KZ' }),
      ]);
      const [draft] = await Promise.all([
        agreementIn('draft', { parties: [{ organisationId: party.id }] }),
        agreementIn('signed', {
          parties: [
            { organisationId: atameken.id, signatoryContactIds: [chairman] },
            { organisationId: party.id },
          ],
        }),
        agreementIn('signed', {
          parties: [
            { organisationId: university.id, signatoryContactIds: [rector] },
            { organisationId: party.id },
          ],
        }),
        agreementIn('draft'),
      ]);
      const countsOf = async (id: string) => {
        const response = await call(owner(), 'get', `/partner-organisations/${id}`);
        expect(response.status).toBe(200);
        return (response.body as { agreementCounts: Record<string, number> }).agreementCounts;
      };
      expect(await countsOf(party.id)).toEqual({ draft: 1, signed: 2 });
      expect(await countsOf(bystander.id)).toEqual({});

      expect((await call(owner(), 'delete', pathOf(draft.id))).status).toBe(204);
      expect(await countsOf(party.id)).toEqual({ signed: 2 });
    });
  });

  describe('tenant isolation', () => {
    let mine: AgreementBody;
    let theirs: AgreementBody;
    beforeAll(async () => {
      const theirOrganisation = await createOrganisation(t, rival, {
        name: 'Nationale Unternehmerkammer Kasachstans ATAMEKEN',
        country: 'KZ',
      });
      [mine, theirs] = await Promise.all([
        createAgreement({ title: 'MoU Berufsbildung' }),
        createAgreement(
          { title: 'MoU Berufsbildung', parties: [{ organisationId: theirOrganisation.id }] },
          owner(rival),
        ),
      ]);
    });

    const ROUTES: [Method, string, Body | undefined][] = [
      ['get', '', undefined],
      ['patch', '', { title: 'Übernommen' }],
      ['post', '/transitions', { to: 'negotiating' }],
      ['delete', '', undefined],
    ];
    const essence = (response: Response) => ({
      status: response.status,
      code: response.body.code as string,
      detail: response.body.detail as string,
    });

    it.each(ROUTES)(
      "%s /agreements/:id%s of the other agency's agreement is 404 not_found, exactly as for an unknown id",
      async (method, suffix, body) => {
        const foreign = await call(owner(), method, `${pathOf(theirs.id)}${suffix}`, body);
        const unknown = await call(owner(), method, `${pathOf(randomUUID())}${suffix}`, body);
        expectProblem(foreign, 404, 'not_found');
        expect(essence(foreign)).toEqual(essence(unknown));
        const byKey = await call(
          apiKey(keyWith['agreements:write'].key),
          method,
          `${pathOf(theirs.id)}${suffix}`,
          body,
        );
        expectProblem(byKey, 404, 'not_found');
      },
    );

    it("the other agency's agreement is untouched, and each list shows only its own", async () => {
      const response = await call(owner(rival), 'get', pathOf(theirs.id));
      expect(response.status).toBe(200);
      expect(response.body).toEqual(theirs);
      expect(response.headers.etag).toBe('"1"');
      const [deskIds, rivalIds] = await Promise.all([allIds(desk), allIds(rival)]);
      expect(deskIds).toContain(mine.id);
      expect(deskIds).not.toContain(theirs.id);
      expect(rivalIds).toContain(theirs.id);
      expect(rivalIds).not.toContain(mine.id);
      expect((await listPage({ q: 'Berufsbildung' }, rival)).items.map((i) => i.id)).not.toContain(
        mine.id,
      );
    });

    it('a malformed id is 400 naming the parameter, not 404', async () => {
      expectInvalid(await call(owner(), 'get', '/agreements/mou-atameken'), 'id');
    });
  });

  describe('roles and API key scopes', () => {
    type Caller =
      | 'owner'
      | 'admin'
      | 'organiser'
      | 'viewer'
      | 'agreements:read key'
      | 'agreements:write key'
      | 'directory:read key';
    const as = (caller: Caller): Headers => {
      switch (caller) {
        case 'owner':
          return owner();
        case 'admin':
          return bearer(deskAdmin.accessToken);
        case 'organiser':
          return bearer(deskOrganiser.accessToken);
        case 'viewer':
          return bearer(deskViewer.accessToken);
        case 'agreements:read key':
          return apiKey(keyWith['agreements:read'].key);
        case 'agreements:write key':
          return apiKey(keyWith['agreements:write'].key);
        case 'directory:read key':
          return apiKey(keyWith['directory:read'].key);
      }
    };

    let agreement: AgreementBody;
    let idsBefore: string[];
    beforeAll(async () => {
      agreement = await createAgreement();
      idsBefore = await allIds();
    });
    const fill = (path: string) => path.replace(':id', agreement.id);

    const READS = ['/agreements', '/agreements/:id'];
    const WRITES: [Method, string, (() => Body) | undefined][] = [
      ['post', '/agreements', () => agreementBody({ title: 'Nur lesen' })],
      ['patch', '/agreements/:id', () => ({ title: 'Umbenannt' })],
      ['post', '/agreements/:id/transitions', () => ({ to: 'negotiating' })],
      ['delete', '/agreements/:id', undefined],
    ];
    const READERS: Caller[] = [
      'owner',
      'admin',
      'organiser',
      'viewer',
      'agreements:read key',
      'agreements:write key',
    ];

    it.each(READERS.flatMap((caller) => READS.map((path) => ({ caller, path }))))(
      '$caller may GET $path',
      async ({ caller, path }) => {
        const response = await call(as(caller), 'get', fill(path));
        expect(response.status).toBe(200);
        if (path.endsWith(':id')) expect(response.body).toEqual(agreement);
        else
          expect((response.body as PageBody<AgreementBody>).items.map((i) => i.id)).toContain(
            agreement.id,
          );
      },
    );

    it.each(READS)('a key with only directory:read gets 403 on GET %s', async (path) => {
      const response = await call(as('directory:read key'), 'get', fill(path));
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toMatch(/agreements:read/);
    });

    it.each(
      (['viewer', 'agreements:read key', 'directory:read key'] as Caller[]).flatMap((caller) =>
        WRITES.map(([method, path, body]) => ({ caller, method, path, body })),
      ),
    )('$caller gets 403 forbidden on $method $path', async ({ caller, method, path, body }) => {
      const response = await call(as(caller), method, fill(path), body?.());
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toMatch(caller === 'viewer' ? /\(viewer\)/ : /agreements:write/);
    });

    it('the refused writes changed nothing', async () => {
      await expectUnchanged(agreement);
      expect(await allIds()).toEqual(idsBefore);
    });

    it('without credentials every route is 401', async () => {
      for (const path of READS) {
        expectProblem(await call({}, 'get', fill(path)), 401, 'authentication_required');
      }
      for (const [method, path, body] of WRITES) {
        expectProblem(await call({}, method, fill(path), body?.()), 401, 'authentication_required');
      }
      await expectUnchanged(agreement);
    });

    it.each(['admin', 'organiser', 'agreements:write key'] as Caller[])(
      '%s may create, change, move along and delete agreements',
      async (caller) => {
        const headers = as(caller);
        const created = await post(agreementBody(), headers);
        expect(created.status).toBe(201);
        const own = created.body as AgreementBody;
        const changed = await patch(own.id, { summary: 'Geändert' }, headers);
        expect(changed.status).toBe(200);
        expect(changed.body.summary).toBe('Geändert');
        const moved = await transition(own.id, { to: 'negotiating' }, headers);
        expect(moved.status).toBe(200);
        expect(moved.body.status).toBe('negotiating');
        const draft = await createAgreement({}, headers);
        expect((await call(headers, 'delete', pathOf(draft.id))).status).toBe(204);
        expectProblem(await call(owner(), 'get', pathOf(draft.id)), 404, 'not_found');
      },
    );
  });

  describe('audit trail', () => {
    it('records agreement.created, agreement.updated (before/after) and agreement.status_changed, by whom', async () => {
      const agreement = await createAgreement({
        title: 'MoU Berufsbildung',
        parties: [{ organisationId: atameken.id }],
      });
      const patched = await patch(
        agreement.id,
        {
          title: 'MoU Berufsbildung (Entwurf 2)',
          parties: [{ organisationId: atameken.id, signatoryContactIds: [chairman] }],
        },
        bearer(deskOrganiser.accessToken),
      );
      expect(patched.status).toBe(200);
      const key = apiKey(keyWith['agreements:write'].key);
      await move(agreement, ['negotiating'], key);
      const signed = await transition(
        agreement.id,
        { to: 'signed', on: '2024-03-01' },
        bearer(deskAdmin.accessToken),
      );
      expect(signed.status).toBe(200);

      const events = await auditEvents({ entityType: 'agreement', entityId: agreement.id });
      expect(events.map((event) => [event.action, event.actorType, event.actorId])).toEqual([
        ['agreement.status_changed', 'user', deskAdmin.id],
        ['agreement.status_changed', 'api_key', keyWith['agreements:write'].id],
        ['agreement.updated', 'user', deskOrganiser.id],
        ['agreement.created', 'user', desk.owner.id],
      ]);
      const [toSigned, toNegotiating, updated, created] = events;
      expect(toSigned.changes).toEqual({
        status: { before: 'negotiating', after: 'signed' },
        signedOn: { before: null, after: '2024-03-01' },
      });
      expect(toNegotiating.changes).toEqual({ status: { before: 'draft', after: 'negotiating' } });
      expect(updated.changes).toEqual({
        title: { before: 'MoU Berufsbildung', after: 'MoU Berufsbildung (Entwurf 2)' },
        parties: {
          before: [{ organisationId: atameken.id, signatoryContactIds: [] }],
          after: [{ organisationId: atameken.id, signatoryContactIds: [chairman] }],
        },
      });
      expect(created.changes).toMatchObject({
        title: { before: null, after: 'MoU Berufsbildung' },
        kind: { before: null, after: 'mou' },
        status: { before: null, after: 'draft' },
        parties: {
          before: null,
          after: [{ organisationId: atameken.id, signatoryContactIds: [] }],
        },
      });
      for (const event of events) {
        expect(event.entityType).toBe('agreement');
        expect(event.entityId).toBe(agreement.id);
      }
    });

    it('refused changes record nothing', async () => {
      const agreement = await createAgreement();
      expectInvalid(
        await patch(agreement.id, { validUntil: '2020-01-01', signedOn: '2024-03-01' }),
        'validUntil',
      );
      expectProblem(await transition(agreement.id, { to: 'signed' }), 409, 'illegal_transition');
      expectProblem(
        await patch(agreement.id, { title: 'Nur lesen' }, bearer(deskViewer.accessToken)),
        403,
        'forbidden',
      );
      const events = await auditEvents({ entityType: 'agreement', entityId: agreement.id });
      expect(events.map((event) => event.action)).toEqual(['agreement.created']);
    });
  });

  describe('Idempotency-Key', () => {
    it('POST /agreements twice with the same key and body creates one agreement; another body is 422', async () => {
      const key = randomUUID();
      const body = agreementBody({ title: `MoU mit Wiederholung ${tag()}` });
      const before = await allIds();
      const first = await post(body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await post(body).set('Idempotency-Key', key);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(again.headers.location).toBe(first.headers.location);

      expectProblem(
        await post({ ...body, kind: 'contract' }).set('Idempotency-Key', key),
        422,
        'idempotency_key_reused',
      );
      expect(await allIds()).toEqual([(first.body as AgreementBody).id, ...before]);
    });

    it('a retried transition replays its answer instead of failing as illegal', async () => {
      const agreement = await createAgreement();
      const key = randomUUID();
      const first = await transition(agreement.id, { to: 'negotiating' }).set(
        'Idempotency-Key',
        key,
      );
      expect(first.status).toBe(200);
      const again = await transition(agreement.id, { to: 'negotiating' }).set(
        'Idempotency-Key',
        key,
      );
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const events = await auditEvents({ entityType: 'agreement', entityId: agreement.id });
      expect(events.map((event) => event.action)).toEqual([
        'agreement.status_changed',
        'agreement.created',
      ]);
    });
  });

  describe('searching by a party renamed in the directory', () => {
    it('q finds the agreement by the organisation’s new name (and short name), no longer by the old one', async () => {
      const chamber = await createOrganisation(t, desk, {
        name: 'Handelskammer Karaganda',
        country: 'KZ',
      });
      const agreement = await createAgreement({
        title: 'Absichtserklärung Bergbauzulieferer',
        parties: [{ organisationId: chamber.id, signatoryContactIds: [] }],
      });
      const found = async (q: string) =>
        (await listAll({ q })).map((item) => item.id).includes(agreement.id);
      expect(await found('Karaganda')).toBe(true);
      const renamed = await call(owner(), 'patch', `/partner-organisations/${chamber.id}`, {
        name: 'Regionalkammer Qaraghandy',
        shortName: 'RKQ',
      });
      expect(renamed.status).toBe(200);
      expect({
        newName: await found('Qaraghandy'),
        shortName: await found('RKQ'),
        oldName: await found('Karaganda'),
        title: await found('Bergbauzulieferer'),
      }).toEqual({ newName: true, shortName: true, oldName: false, title: true });
    });
  });
});
