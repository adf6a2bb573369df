import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Response } from 'supertest';
import { SCOPES } from '../src/modules/identity/roles.js';
import {
  type Method,
  type Headers,
  type Body,
  type PageBody,
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
  type ContactBody,
  createContact,
  createOrganisation,
  KASACHSTAN,
  type ParticipantBody,
  recordPassport,
  SUEDKOREA,
  tag,
  tripIn,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface TripBody {
  id: string;
  title: string;
  startDate: string;
  endDate: string;
  participantCounts: Record<string, number>;
  seatsLeft: number;
  version: number;
}

interface PersonalDataBody {
  contact: ContactBody;
  participations: (ParticipantBody & {
    trip: { id: string; title: string; startDate: string; endDate: string };
    travelDocument: {
      passportNumber: string;
      nationality: string;
      issuingCountry: string;
      issuedOn: string | null;
      expiresOn: string;
    } | null;
  })[];
  invitations: { tripId: string; email: string; status: string; message: string | null }[];
  messages: { kind: string; status: string; recipientEmail: string; tripId: string }[];
  exportedAt: string;
}

/** A passport number nobody else has (letters beyond hex, so never part of an id). */
function uniquePassportNumber(): string {
  const alphabet = 'GHJKLMNPRTVWXYZ0123456789';
  let number = 'N';
  for (let i = 0; i < 8; i++) number += alphabet[Math.floor(Math.random() * alphabet.length)];
  return number;
}

/** Everything that identifies one person, each value unique to this run. */
function personData() {
  const marker = tag();
  return {
    contact: {
      title: 'Prof. Dr.',
      firstName: `Aigerim-${marker}`,
      lastName: `Abenova-${marker}`,
      position: `Vice-Rector ${marker}`,
      email: `aigerim.abenova.${marker}@enu.example`,
      phone: `+7 7172 ${[...marker].map((c) => parseInt(c, 16) % 10).join('')}`,
      preferredLanguage: 'ru',
      notes: `Met at the Astana forum ${marker}`,
    },
    needs: {
      dietaryNeeds: `Halal, no nuts ${marker}`,
      accessibilityNeeds: `Step-free rooms ${marker}`,
      arrival: `KC 911 ${marker}`,
      departure: `KC 912 ${marker}`,
      notes: `Brings the rector's letter ${marker}`,
    },
    answers: {
      institute: `Eurasian National University ${marker}`,
      interests: ['photonics', `laser-${marker}`],
      shirtSize: 'M',
    },
    passports: [uniquePassportNumber(), uniquePassportNumber()],
  };
}
type Person = ReturnType<typeof personData>;

/** The strings that must be gone after erasure. */
const identifying = (person: Person) => [
  person.contact.firstName,
  person.contact.lastName,
  person.contact.email,
  person.contact.phone,
  person.contact.position,
  person.contact.notes,
  ...Object.values(person.needs),
  person.answers.institute,
  person.answers.interests[1],
  ...person.passports,
];

async function redisValues(redis: Redis, key: string): Promise<string[]> {
  const type = await redis.type(key);
  switch (type) {
    case 'string': {
      const value = await redis.getBuffer(key);
      return value ? [value.toString('utf8')] : [];
    }
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flat();
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1);
    case 'stream':
      return (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
    default:
      return [];
  }
}

/**
 * The data-subject rights of a person in the directory, through HTTP
 * against real PostgreSQL and Redis: a complete export (with decrypted
 * passports) for those who may read personal data, and an erasure by the
 * owner or an admin that leaves nothing identifying anywhere (every column
 * of every table, audit diffs and stored replies included, and Redis) while
 * the trip statistics keep the participation.
 */
describe('personal data: export and erasure', () => {
  let t: TestApp;
  let desk: Agency;
  let deskAdmin: Staff;
  let deskOrganiser: Staff;
  let deskViewer: Staff;
  let piiKey: { id: string; key: string };
  let readKey: { id: string; key: string };
  let everyScopeKey: { id: string; key: string };
  let rival: Agency;
  let enu: string;
  let kasachstan: TripBody;
  let suedkorea: TripBody;

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const owner = (agency: Agency): Headers => bearer(agency.owner.accessToken);
  const staff = (member: Staff): Headers => bearer(member.accessToken);
  const apiKey = (key: { key: string }): Headers => ({ 'X-API-Key': key.key });

  /** A new trip of `agency`, open for registration, as GET shows it. */
  const openTrip = async (agency: Agency, body: Body) =>
    getTrip(agency, (await tripIn(t, agency, 'registration_open', body)).id);

  async function getTrip(agency: Agency, id: string): Promise<TripBody> {
    const response = await call(owner(agency), 'get', `/trips/${id}`);
    expect(response.status).toBe(200);
    return response.body as TripBody;
  }

  async function getContact(agency: Agency, id: string): Promise<ContactBody> {
    const response = await call(owner(agency), 'get', `/contacts/${id}`);
    expect(response.status).toBe(200);
    return response.body as ContactBody;
  }

  async function getParticipant(agency: Agency, p: ParticipantBody): Promise<ParticipantBody> {
    const response = await call(owner(agency), 'get', `/trips/${p.tripId}/participants/${p.id}`);
    expect(response.status).toBe(200);
    return response.body as ParticipantBody;
  }

  const personalData = (headers: Headers, contactId: string) =>
    call(headers, 'get', `/contacts/${contactId}/personal-data`);

  const erase = (headers: Headers, contactId: string) =>
    call(headers, 'post', `/contacts/${contactId}/erase`);

  const documentPath = (p: ParticipantBody) =>
    `/trips/${p.tripId}/participants/${p.id}/travel-document`;

  /**
   * A person as the agency's work leaves them everywhere: created in the
   * directory with an Idempotency-Key (a stored reply), edited, registered
   * on two trips (once inline, with an Idempotency-Key, answers and needs;
   * once by id), with a passport for each, read and exported; invited to a
   * third trip with a personal note (an invitation email in the outbox).
   */
  async function registerPerson(agency: Agency, person: Person = personData()) {
    const contact = await createContact(
      t,
      { ...owner(agency), 'Idempotency-Key': `contact-${tag()}` },
      {
        ...person.contact,
        partnerOrganisationId: agency === desk ? enu : undefined,
        position: 'Researcher',
      },
    );
    const edited = await call(owner(agency), 'patch', `/contacts/${contact.id}`, {
      position: person.contact.position,
    });
    expect(edited.status).toBe(200);

    const trips = agency === desk ? [kasachstan, suedkorea] : [rivalTrip];
    const first = await addParticipant(
      t,
      { ...owner(agency), 'Idempotency-Key': `participant-${tag()}` },
      trips[0].id,
      {
        contactId: contact.id,
        role: 'delegation_lead',
        category: 'science',
        visaRequired: true,
        visaStatus: 'applied',
        answers: person.answers,
        ...person.needs,
      },
    );
    const participations: ParticipantBody[] = [first];
    if (trips[1]) {
      participations.push(
        await addParticipant(t, agency, trips[1].id, {
          contactId: contact.id,
          dietaryNeeds: person.needs.dietaryNeeds,
        }),
      );
    }
    const changed = await call(
      owner(agency),
      'patch',
      `/trips/${participations[0].tripId}/participants/${participations[0].id}`,
      { notes: person.needs.notes },
    );
    expect(changed.status).toBe(200);
    for (const [index, participation] of participations.entries()) {
      await recordPassport(t, agency, participation, {
        passportNumber: person.passports[index],
        nationality: 'KZ',
        issuingCountry: 'KZ',
        issuedOn: '2020-05-04',
        expiresOn: '2030-05-03',
      });
      expect((await call(owner(agency), 'get', documentPath(participation))).status).toBe(200);
    }
    const exported = await t
      .http()
      .get(`/api/v1/trips/${participations[0].tripId}/participants/export`)
      .query({ format: 'csv', includePassportNumbers: 'true' })
      .set(owner(agency));
    expect(exported.status).toBe(200);
    if (agency === desk) {
      const invited = await call(owner(agency), 'post', `/trips/${messagesTrip.id}/invitations`, {
        contactIds: [contact.id],
        message: `Liebe ${person.contact.firstName}, wir freuen uns auf Sie!`,
      });
      expect(invited.status).toBe(200);
      expect(invited.body).toMatchObject({ invited: 1 });
    }
    return { person, contact, participations };
  }

  /** Every audit event of the agency (all pages), newest first. */
  async function allAuditEvents(
    agency: Agency,
    query: Record<string, string> = {},
  ): Promise<AuditEventBody[]> {
    const events: AuditEventBody[] = [];
    let cursor: string | null = null;
    do {
      const response = await t
        .http()
        .get('/api/v1/audit-events')
        .query({ limit: 200, ...query, ...(cursor ? { cursor } : {}) })
        .set(owner(agency));
      expect(response.status).toBe(200);
      const page = response.body as PageBody<AuditEventBody>;
      events.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  }

  /**
   * Where each needle occurs (case-insensitive) in the test database: every
   * text-like column (text, varchar, char, citext, arrays, json, jsonb,
   * bytea) of every table, as `needle @ table.column`.
   */
  async function findInDatabase(needles: string[]): Promise<string[]> {
    const columns = await t.dataSource.query<
      { schema: string; table: string; column: string; type: string }[]
    >(
      `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column,
              c.data_type AS type
         FROM information_schema.columns c
         JOIN information_schema.tables tb
           ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE tb.table_type = 'BASE TABLE'
          AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
          AND c.data_type IN ('text', 'character varying', 'character', 'USER-DEFINED',
                              'ARRAY', 'json', 'jsonb', 'bytea')`,
    );
    const tables = new Set(columns.map((column) => column.table));
    for (const table of ['contacts', 'participants', 'travel_documents', 'audit_events']) {
      expect(tables).toContain(table);
    }
    expect(tables).toContain('idempotency_keys');
    const hits: string[] = [];
    for (const { schema, table, column, type } of columns) {
      const value = type === 'bytea' ? `encode("${column}", 'escape')` : `"${column}"::text`;
      const rows = await t.dataSource.query<{ needle: string }[]>(
        `SELECT needle FROM unnest($1::text[]) AS needle
          WHERE EXISTS (SELECT 1 FROM "${schema}"."${table}"
                         WHERE strpos(lower(${value}), lower(needle)) > 0)`,
        [needles],
      );
      for (const { needle } of rows) hits.push(`${needle} @ ${table}.${column}`);
    }
    return hits;
  }

  /** Where each needle occurs in Redis: key names and values of every type, under `match`. */
  async function findInRedis(needles: string[], match: string) {
    const redis = new Redis(t.config.REDIS_URL);
    try {
      let scanned = 0;
      const hits: string[] = [];
      const check = (key: string, text: string) => {
        for (const needle of needles) {
          if (text.toLowerCase().includes(needle.toLowerCase())) hits.push(`${needle} @ ${key}`);
        }
      };
      const stream = redis.scanStream({ match, count: 1000 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        for (const key of keys) {
          scanned++;
          check(key, key);
          for (const value of await redisValues(redis, key)) check(key, value);
        }
      }
      return { scanned, hits };
    } finally {
      redis.disconnect();
    }
  }

  let rivalTrip: TripBody;
  /** A trip the desk's people are invited to (the worker is not running: mail stays in the outbox). */
  let messagesTrip: TripBody;

  beforeAll(async () => {
    t = await startTestApp();
    [desk, rival] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Sachsen Connect', name: 'Uwe Krause' }),
    ]);
    [deskAdmin, deskOrganiser, deskViewer, piiKey, readKey, everyScopeKey] = await Promise.all([
      addStaff(t, desk, 'admin', 'Anna Schmidt'),
      addStaff(t, desk, 'organiser', 'Jonas Becker'),
      addStaff(t, desk, 'viewer', 'Lena Hoffmann'),
      addApiKey(t, desk, ['pii:read'], { name: 'Visa agency' }),
      addApiKey(t, desk, ['participants:read', 'directory:read'], { name: 'CRM read' }),
      addApiKey(t, desk, [...SCOPES], { name: 'Everything' }),
    ]);
    ({ id: enu } = await createOrganisation(t, desk, {
      name: 'L. N. Gumilyov Eurasian National University',
      shortName: 'ENU',
      kind: 'university',
      country: 'KZ',
      city: 'Astana',
    }));
    [kasachstan, suedkorea, rivalTrip, messagesTrip] = await Promise.all([
      openTrip(desk, KASACHSTAN),
      openTrip(desk, SUEDKOREA),
      openTrip(rival, KASACHSTAN),
      openTrip(desk, { ...SUEDKOREA, title: 'Innovationsreise Südkorea 2027' }),
    ]);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('GET /contacts/{id}/personal-data', () => {
    let subject: Awaited<ReturnType<typeof registerPerson>>;

    beforeAll(async () => {
      subject = await registerPerson(desk);
    });

    it('holds everything about the person: contact, participations with trips, answers, needs and decrypted passports', async () => {
      const response = await personalData(owner(desk), subject.contact.id);
      expect(response.status).toBe(200);
      const body = response.body as PersonalDataBody;
      const { person } = subject;
      expect(body.contact).toMatchObject({
        id: subject.contact.id,
        partnerOrganisationId: enu,
        ...person.contact,
        erasedAt: null,
      });
      expect(body.participations).toHaveLength(2);
      expect(body.participations[0]).toMatchObject({
        id: subject.participations[0].id,
        contactId: subject.contact.id,
        role: 'delegation_lead',
        category: 'science',
        status: 'confirmed',
        visaRequired: true,
        visaStatus: 'applied',
        answers: person.answers,
        ...person.needs,
        trip: {
          id: kasachstan.id,
          title: KASACHSTAN.title,
          startDate: KASACHSTAN.startDate,
          endDate: KASACHSTAN.endDate,
        },
        travelDocument: {
          passportNumber: person.passports[0],
          nationality: 'KZ',
          issuingCountry: 'KZ',
          issuedOn: '2020-05-04',
          expiresOn: '2030-05-03',
        },
      });
      expect(body.participations[1]).toMatchObject({
        id: subject.participations[1].id,
        role: 'member',
        category: 'business',
        dietaryNeeds: person.needs.dietaryNeeds,
        trip: { id: suedkorea.id, title: SUEDKOREA.title },
        travelDocument: { passportNumber: person.passports[1] },
      });
      expect(body.invitations).toEqual([
        expect.objectContaining({
          tripId: messagesTrip.id,
          email: person.contact.email,
          status: 'pending',
          message: `Liebe ${person.contact.firstName}, wir freuen uns auf Sie!`,
        }),
      ]);
      expect(body.messages).toEqual([
        expect.objectContaining({
          kind: 'invitation',
          status: 'scheduled',
          recipientEmail: person.contact.email,
          tripId: messagesTrip.id,
        }),
      ]);
      expect(Number.isNaN(Date.parse(body.exportedAt))).toBe(false);
    });

    it('a participation without a passport shows travelDocument null; a person on no trip has no participations', async () => {
      const person = personData();
      const created = await createContact(t, desk, person.contact);
      const empty = await personalData(owner(desk), created.id);
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({
        contact: { id: created.id, lastName: person.contact.lastName },
        participations: [],
        messages: [],
      });

      const registered = await addParticipant(t, desk, kasachstan.id, {
        contactId: created.id,
        category: 'science',
      });
      const one = await personalData(owner(desk), created.id);
      expect((one.body as PersonalDataBody).participations).toEqual([
        expect.objectContaining({ id: registered.id, travelDocument: null }),
      ]);
    });

    it('holds nothing about anybody else', async () => {
      const other = await registerPerson(desk);
      const response = await personalData(owner(desk), subject.contact.id);
      const text = JSON.stringify(response.body);
      for (const value of identifying(other.person)) expect(text).not.toContain(value);
      expect(text).not.toContain(other.contact.id);
    });

    it('is open to an admin, an organiser and a pii:read key, and every export is audited', async () => {
      const readers: [Headers, string, string][] = [
        [owner(desk), desk.owner.id, 'user'],
        [staff(deskAdmin), deskAdmin.id, 'user'],
        [staff(deskOrganiser), deskOrganiser.id, 'user'],
        [apiKey(piiKey), piiKey.id, 'api_key'],
      ];
      const query = { action: 'contact.personal_data_exported', entityId: subject.contact.id };
      const before = await allAuditEvents(desk, query);
      for (const [headers] of readers) {
        const response = await personalData(headers, subject.contact.id);
        expect(response.status).toBe(200);
        expect(
          (response.body as PersonalDataBody).participations[0].travelDocument?.passportNumber,
        ).toBe(subject.person.passports[0]);
      }
      const after = await allAuditEvents(desk, query);
      expect(after).toHaveLength(before.length + readers.length);
      expect(
        after
          .slice(0, readers.length)
          .map((event) => `${event.actorType}:${event.actorId}`)
          .sort(),
      ).toEqual(readers.map(([, id, type]) => `${type}:${id}`).sort());
      expect(JSON.stringify(after)).not.toContain(subject.person.passports[0]);
    });

    it('is 403 for a viewer and for keys without pii:read, and those attempts are not audited as exports', async () => {
      const query = { action: 'contact.personal_data_exported', entityId: subject.contact.id };
      const before = await allAuditEvents(desk, query);
      for (const headers of [staff(deskViewer), apiKey(readKey)]) {
        const response = await personalData(headers, subject.contact.id);
        expectProblem(response, 403, 'forbidden');
        expect(JSON.stringify(response.body)).not.toContain(subject.person.contact.lastName);
      }
      expect(await allAuditEvents(desk, query)).toHaveLength(before.length);
    });

    it("is 404 for another agency's contact, an unknown id, and 400 for a malformed one", async () => {
      expectProblem(await personalData(owner(rival), subject.contact.id), 404, 'not_found');
      expectProblem(await personalData(owner(desk), randomUUID()), 404, 'not_found');
      expectProblem(await personalData(owner(desk), 'abenova'), 400, 'validation_failed');
    });
  });

  describe('POST /contacts/{id}/erase', () => {
    let subject: Awaited<ReturnType<typeof registerPerson>>;
    /** Someone else on the same trips, who must keep everything. */
    let bystander: Awaited<ReturnType<typeof registerPerson>>;
    /** Where the person's data was before the erasure (proves the search finds it). */
    let foundBefore: string[];
    let tripsBefore: TripBody[];
    let participationsBefore: ParticipantBody[];
    let erased: Response;
    /** Just before the erasure, for integrations syncing with updatedSince. */
    let erasureStarted: string;

    beforeAll(async () => {
      subject = await registerPerson(desk);
      bystander = await registerPerson(desk);
      // Refused attempts first: they must change nothing.
      for (const headers of [
        staff(deskViewer),
        staff(deskOrganiser),
        apiKey(everyScopeKey),
        apiKey(piiKey),
      ]) {
        expectProblem(await erase(headers, subject.contact.id), 403, 'forbidden');
      }
      expectProblem(await erase(owner(rival), subject.contact.id), 404, 'not_found');
      expectProblem(
        await call(
          { ...owner(desk), 'If-Match': '"1"' },
          'post',
          `/contacts/${subject.contact.id}/erase`,
        ),
        412,
        'precondition_failed',
      );
      foundBefore = await findInDatabase(identifying(subject.person));
      tripsBefore = await Promise.all([getTrip(desk, kasachstan.id), getTrip(desk, suedkorea.id)]);
      participationsBefore = await Promise.all(
        subject.participations.map((p) => getParticipant(desk, p)),
      );
      erasureStarted = new Date().toISOString();
      erased = await erase(owner(desk), subject.contact.id);
    });

    it('the refused attempts (viewer, organiser, API keys, another agency, stale If-Match) changed nothing', () => {
      const where = (needle: string) =>
        foundBefore
          .filter((hit) => hit.startsWith(`${needle} @ `))
          .map((hit) => hit.split(' @ ')[1]);
      const { person } = subject;
      expect(where(person.contact.lastName)).toEqual(
        expect.arrayContaining(['contacts.last_name', 'idempotency_keys.response_body']),
      );
      expect(where(person.contact.email)).toEqual(
        expect.arrayContaining(['contacts.email', 'idempotency_keys.response_body']),
      );
      expect(where(person.needs.dietaryNeeds)).toEqual(
        expect.arrayContaining(['participants.dietary_needs', 'idempotency_keys.response_body']),
      );
      expect(where(person.answers.institute)).toEqual(
        expect.arrayContaining(['participants.answers']),
      );
      // The passport number, sealed, was never searchable.
      expect(where(person.passports[0])).toEqual([]);
    });

    it('answers 200 with the anonymised contact', () => {
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({
        id: subject.contact.id,
        partnerOrganisationId: enu,
        title: null,
        firstName: null,
        lastName: '[erased]',
        position: null,
        email: null,
        phone: null,
        preferredLanguage: null,
        notes: null,
      });
      expect(Number.isNaN(Date.parse(erased.body.erasedAt as string))).toBe(false);
      expect(erased.headers.etag).toBe(`"${erased.body.version}"`);
    });

    it('leaves neither name, email, phone, needs, answers nor passport numbers in any column of any table', async () => {
      expect(await findInDatabase(identifying(subject.person))).toEqual([]);
      const [replies] = await t.dataSource.query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM idempotency_keys WHERE response_body::text LIKE $1`,
        [`%${subject.contact.id}%`],
      );
      expect(replies.count).toBe(0);
      const [documents] = await t.dataSource.query<{ count: number }[]>(
        'SELECT count(*)::int AS count FROM travel_documents WHERE participant_id = ANY($1)',
        [subject.participations.map((p) => p.id)],
      );
      expect(documents.count).toBe(0);
    });

    it('leaves nothing in Redis, under the test prefix or anywhere', async () => {
      const needles = identifying(subject.person);
      const ours = await findInRedis(needles, `${t.config.REDIS_PREFIX}:*`);
      // The API does keep keys there (rate limits), and the scan sees them.
      expect(ours.scanned).toBeGreaterThan(0);
      expect(ours.hits).toEqual([]);
      const everywhere = await findInRedis(needles, '*');
      expect(everywhere.scanned).toBeGreaterThanOrEqual(ours.scanned);
      expect(everywhere.hits).toEqual([]);
    });

    it('the participations still count in their trips, keeping trip, role, category and status', async () => {
      const tripsAfter = await Promise.all([
        getTrip(desk, kasachstan.id),
        getTrip(desk, suedkorea.id),
      ]);
      expect(tripsAfter.map((trip) => trip.participantCounts)).toEqual(
        tripsBefore.map((trip) => trip.participantCounts),
      );
      expect(tripsAfter.map((trip) => trip.seatsLeft)).toEqual(
        tripsBefore.map((trip) => trip.seatsLeft),
      );
      expect(tripsAfter[0].participantCounts.confirmed).toBeGreaterThanOrEqual(2);

      const [lead, member] = await Promise.all(
        subject.participations.map((p) => getParticipant(desk, p)),
      );
      expect(lead).toMatchObject({
        id: subject.participations[0].id,
        tripId: kasachstan.id,
        contactId: subject.contact.id,
        organisationId: enu,
        role: 'delegation_lead',
        category: 'science',
        status: 'confirmed',
        registeredAt: subject.participations[0].registeredAt,
        dietaryNeeds: null,
        accessibilityNeeds: null,
        arrival: null,
        departure: null,
        notes: null,
      });
      expect(lead.answers).toEqual({});
      expect(member).toMatchObject({
        tripId: suedkorea.id,
        role: 'member',
        category: 'business',
        status: 'confirmed',
        dietaryNeeds: null,
      });
      const list = await t
        .http()
        .get(`/api/v1/trips/${kasachstan.id}/participants`)
        .query({ limit: 200 })
        .set(owner(desk));
      expect((list.body as PageBody<ParticipantBody>).items.map((p) => p.id)).toContain(lead.id);
    });

    it('integrations syncing with updatedSince see the contact and its participations change', async () => {
      const contacts = await t
        .http()
        .get('/api/v1/contacts')
        .query({ updatedSince: erasureStarted, limit: 200 })
        .set(apiKey(readKey));
      expect(contacts.status).toBe(200);
      expect((contacts.body as PageBody<ContactBody>).items).toEqual([
        expect.objectContaining({ id: subject.contact.id, lastName: '[erased]' }),
      ]);
      for (const participation of participationsBefore) {
        const changed = await t
          .http()
          .get(`/api/v1/trips/${participation.tripId}/participants`)
          .query({ updatedSince: erasureStarted, limit: 200 })
          .set(apiKey(readKey));
        expect(changed.status).toBe(200);
        const items = (changed.body as PageBody<ParticipantBody>).items;
        expect(items.map((p) => p.id)).toEqual([participation.id]);
        expect(items[0].version).toBeGreaterThan(participation.version);
      }
    });

    it('the passports are gone', async () => {
      for (const participation of subject.participations) {
        expectProblem(
          await call(owner(desk), 'get', documentPath(participation)),
          404,
          'not_found',
        );
      }
    });

    it('the personal-data export now shows the anonymised contact and bare participations', async () => {
      const response = await personalData(owner(desk), subject.contact.id);
      expect(response.status).toBe(200);
      const body = response.body as PersonalDataBody;
      expect(body.contact).toMatchObject({
        id: subject.contact.id,
        firstName: null,
        lastName: '[erased]',
        email: null,
        phone: null,
        erasedAt: erased.body.erasedAt,
      });
      expect(
        body.participations.map((p) => [p.trip.id, p.role, p.category, p.status, p.travelDocument]),
      ).toEqual([
        [kasachstan.id, 'delegation_lead', 'science', 'confirmed', null],
        [suedkorea.id, 'member', 'business', 'confirmed', null],
      ]);
      for (const participation of body.participations) {
        expect(participation.answers).toEqual({});
        expect(participation.dietaryNeeds).toBeNull();
      }
      // The invitation stays as a fact (trip, status) but is closed and holds no address or note.
      expect(body.invitations).toEqual([
        expect.objectContaining({
          tripId: messagesTrip.id,
          email: '[erased]',
          status: 'revoked',
          message: null,
        }),
      ]);
      // The unsent invitation email is cancelled and keeps no address.
      expect(body.messages).toEqual([
        expect.objectContaining({
          kind: 'invitation',
          status: 'cancelled',
          recipientEmail: '[erased]',
        }),
      ]);
      const text = JSON.stringify(body);
      for (const value of identifying(subject.person)) expect(text).not.toContain(value);
    });

    it('the directory shows the contact as erased and its search no longer finds the person', async () => {
      const contact = await getContact(desk, subject.contact.id);
      expect(contact).toMatchObject({ lastName: '[erased]', firstName: null, email: null });
      for (const q of [subject.person.contact.lastName, subject.person.contact.email]) {
        const found = await t.http().get('/api/v1/contacts').query({ q }).set(owner(desk));
        expect(found.status).toBe(200);
        expect((found.body as PageBody<ContactBody>).items.map((c) => c.id)).not.toContain(
          subject.contact.id,
        );
      }
    });

    it('the delegation list shows [erased] in place of the person', async () => {
      const response = await t
        .http()
        .get(`/api/v1/trips/${kasachstan.id}/participants/export`)
        .query({ format: 'csv', includePassportNumbers: 'true' })
        .set(owner(desk));
      expect(response.status).toBe(200);
      const text = String(response.text);
      expect(text).toContain('[erased]');
      for (const value of identifying(subject.person)) expect(text).not.toContain(value);
      expect(text).toContain(bystander.person.contact.lastName);
    });

    it('an erased contact cannot be filled in again (409 contact_erased)', async () => {
      const before = await getContact(desk, subject.contact.id);
      const response = await call(owner(desk), 'patch', `/contacts/${subject.contact.id}`, {
        lastName: subject.person.contact.lastName,
        email: subject.person.contact.email,
      });
      expectProblem(response, 409, 'contact_erased');
      expect(await getContact(desk, subject.contact.id)).toEqual(before);
    });

    it('nor through the trips: no new registration, no personal fields, no passport (409 contact_erased)', async () => {
      const [participation] = subject.participations;
      const path = `/trips/${participation.tripId}/participants/${participation.id}`;
      const before = await getParticipant(desk, participation);
      const another = await openTrip(desk, { ...SUEDKOREA, title: 'Geschäftsreise Südkorea II' });
      expectProblem(
        await call(owner(desk), 'post', `/trips/${another.id}/participants`, {
          contactId: subject.contact.id,
          role: 'member',
          category: 'business',
        }),
        409,
        'contact_erased',
      );
      expectProblem(
        await call(owner(desk), 'patch', path, { dietaryNeeds: 'vegetarisch' }),
        409,
        'contact_erased',
      );
      expectProblem(
        await call(owner(desk), 'put', `${path}/travel-document`, {
          passportNumber: 'C01X00T47',
          nationality: 'DE',
          issuingCountry: 'DE',
          expiresOn: '2031-01-01',
        }),
        409,
        'contact_erased',
      );
      expect(await getParticipant(desk, participation)).toEqual(before);
      // What is not personal still changes: staff can still move the participation along.
      const changed = await call(owner(desk), 'patch', path, { visaStatus: 'granted' });
      expect(changed.status).toBe(200);
    });

    it('erasing again changes nothing more', async () => {
      const again = await erase(owner(desk), subject.contact.id);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(erased.body);
    });

    it('the audit trail records the erasure, and the earlier events of the contact no longer hold its changes', async () => {
      const events = await allAuditEvents(desk, {
        entityType: 'contact',
        entityId: subject.contact.id,
      });
      const erasure = events.filter((event) => event.action === 'contact.erased');
      expect(erasure).toHaveLength(1);
      expect(erasure[0]).toMatchObject({ actorType: 'user', actorId: desk.owner.id });
      for (const action of ['contact.created', 'contact.updated']) {
        const event = events.find((e) => e.action === action);
        expect(event).toBeDefined();
        expect(event?.changes).toBeNull();
      }
      const all = JSON.stringify(await allAuditEvents(desk));
      for (const value of identifying(subject.person)) expect(all).not.toContain(value);
    });

    it('the other person on the same trips keeps everything', async () => {
      const response = await personalData(owner(desk), bystander.contact.id);
      expect(response.status).toBe(200);
      const body = response.body as PersonalDataBody;
      expect(body.contact).toMatchObject({ ...bystander.person.contact, erasedAt: null });
      expect(body.participations.map((p) => p.travelDocument?.passportNumber)).toEqual(
        bystander.person.passports,
      );
      expect(body.participations[0]).toMatchObject({
        answers: bystander.person.answers,
        ...bystander.person.needs,
      });
      const found = await findInDatabase([
        bystander.person.contact.lastName,
        bystander.person.contact.email,
      ]);
      expect(found).toEqual(
        expect.arrayContaining([
          `${bystander.person.contact.lastName} @ contacts.last_name`,
          `${bystander.person.contact.email} @ contacts.email`,
          `${bystander.person.contact.email} @ idempotency_keys.response_body`,
        ]),
      );
    });
  });

  describe('who may erase', () => {
    it('an admin may, too', async () => {
      const { person, contact } = await registerPerson(desk);
      const response = await erase(staff(deskAdmin), contact.id);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ lastName: '[erased]', email: null });
      expect(await findInDatabase(identifying(person))).toEqual([]);
      const [event] = await allAuditEvents(desk, {
        action: 'contact.erased',
        entityId: contact.id,
      });
      expect(event).toMatchObject({ actorId: deskAdmin.id });
    });

    it('with the current ETag as If-Match', async () => {
      const person = personData();
      const created = await createContact(t, desk, person.contact);
      const response = await call(
        { ...owner(desk), 'If-Match': `"${created.version}"` },
        'post',
        `/contacts/${created.id}/erase`,
      );
      expect(response.status).toBe(200);
      expect(response.body.lastName).toBe('[erased]');
    });

    it('viewers, organisers and API keys never; another agency gets 404; nothing changes', async () => {
      const { person, contact } = await registerPerson(desk);
      for (const headers of [
        staff(deskViewer),
        staff(deskOrganiser),
        apiKey(readKey),
        apiKey(piiKey),
        apiKey(everyScopeKey),
      ]) {
        const response = await erase(headers, contact.id);
        expectProblem(response, 403, 'forbidden');
      }
      expectProblem(await erase(owner(rival), contact.id), 404, 'not_found');
      expectProblem(await erase(owner(desk), randomUUID()), 404, 'not_found');
      const after = await getContact(desk, contact.id);
      expect(after).toMatchObject({ ...person.contact, erasedAt: null });
      const data = await personalData(owner(desk), contact.id);
      expect(
        (data.body as PersonalDataBody).participations.map((p) => p.travelDocument?.passportNumber),
      ).toEqual(person.passports);
      const events = await allAuditEvents(desk, { action: 'contact.erased', entityId: contact.id });
      expect(events).toEqual([]);
    });

    it("erasing in one agency leaves another agency's record of the same person alone", async () => {
      const person = personData();
      const ours = await registerPerson(desk, person);
      const theirs = await registerPerson(rival, {
        ...person,
        passports: [uniquePassportNumber(), uniquePassportNumber()],
      });
      expect((await erase(owner(desk), ours.contact.id)).status).toBe(200);
      expect(await getContact(rival, theirs.contact.id)).toMatchObject({
        lastName: person.contact.lastName,
        email: person.contact.email,
        erasedAt: null,
      });
      const doc = await call(owner(rival), 'get', documentPath(theirs.participations[0]));
      expect(doc.status).toBe(200);
      expect(doc.body.passportNumber).toBe(theirs.person.passports[0]);
      const participant = await getParticipant(rival, theirs.participations[0]);
      expect(participant.answers).toEqual(person.answers);
    });
  });
});
