import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  PROBLEM,
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
  contactBody,
  type ContactBody,
  createContact,
  createOrganisation,
  type OrganisationBody,
  organisationBody,
  tag,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const ORGS = '/partner-organisations';
const CONTACTS = '/contacts';

/**
 * The directory (partner organisations and contacts) through HTTP against
 * real PostgreSQL and Redis: CRUD, validation, fuzzy search, filters,
 * ETags, deletes that would orphan contacts, duplicate emails, roles and
 * scopes, tenant isolation, Idempotency-Key, the audit trail and paging.
 */
describe('directory', () => {
  let t: TestApp;
  /** The main agency: CRUD, roles, keys, audit; tests add their own uniquely named rows. */
  let desk: Agency;
  let deskAdmin: Staff;
  let deskOrganiser: Staff;
  let deskViewer: Staff;
  const keyWith = {} as Record<'directory:read' | 'directory:write' | 'trips:read', string>;
  const keyIdWith = {} as Record<'directory:read' | 'directory:write' | 'trips:read', string>;
  /** Look-alike agency: same name, same kind of data; must stay invisible to desk. */
  let rival: Agency;
  /** Read-only fixtures for search and filters: nothing else is ever created there. */
  let atlas: Agency;
  /** Paging only. */
  let pager: Agency;

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const owner = (agency: Agency): Headers => bearer(agency.owner.accessToken);
  const apiKey = (key: string): Headers => ({ 'X-API-Key': key });

  /** A 400 whose `errors` name exactly `field` (and nothing else). */
  function expectInvalid(response: Response, field: string) {
    expectProblem(response, 400, 'validation_failed');
    const errors = response.body.errors as { field: string; message: string }[];
    expect(errors.length).toBeGreaterThan(0);
    expect([...new Set(errors.map((error) => error.field))]).toEqual([field]);
    for (const error of errors) expect(typeof error.message).toBe('string');
  }

  /** GET one record: its body and ETag (asserted to be the quoted version). */
  async function read<T extends { version: number }>(headers: Headers, path: string) {
    const response = await call(headers, 'get', path);
    expect(response.status).toBe(200);
    const body = response.body as T;
    expect(response.headers.etag).toBe(`"${body.version}"`);
    return { body, etag: String(response.headers.etag) };
  }

  async function list<T>(headers: Headers, path: string, query: Body = {}): Promise<T[]> {
    const response = await t
      .http()
      .get(`/api/v1${path}`)
      .query({ limit: 200, ...query })
      .set(headers);
    expect(response.status).toBe(200);
    const page = response.body as PageBody<T>;
    expect(page.nextCursor).toBeNull();
    return page.items;
  }
  const names = (items: { name: string }[]) => items.map((item) => item.name);
  const ids = (items: { id: string }[]) => items.map((item) => item.id);

  /** The whole audit trail of an agency, newest first, page by page. */
  async function everyAuditEvent(agency: Agency): Promise<AuditEventBody[]> {
    const events: AuditEventBody[] = [];
    let cursor: string | null = null;
    do {
      const response = await t
        .http()
        .get('/api/v1/audit-events')
        .query({ limit: 200, ...(cursor ? { cursor } : {}) })
        .set(owner(agency));
      expect(response.status).toBe(200);
      const page = response.body as PageBody<AuditEventBody>;
      events.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return events;
  }

  async function auditEvents(agency: Agency, entityType: string, entityId: string) {
    return list<AuditEventBody>(owner(agency), '/audit-events', { entityType, entityId });
  }

  const countRows = async (table: 'partner_organisations' | 'contacts', tenantId: string) => {
    const [row] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`,
      [tenantId],
    );
    return row.n;
  };

  beforeAll(async () => {
    t = await startTestApp();
    [desk, rival, atlas, pager] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Atlas Trade Missions', name: 'Heike Vogel' }),
      signUpAgency(t, { tenantName: 'Pager Trade Missions', name: 'Paul Neumann' }),
    ]);
    const scopes = ['directory:read', 'directory:write', 'trips:read'] as const;
    const [admin, organiser, viewer, ...keys] = await Promise.all([
      addStaff(t, desk, 'admin', 'Anna Schmidt'),
      addStaff(t, desk, 'organiser', 'Jonas Becker'),
      addStaff(t, desk, 'viewer', 'Mia Wagner'),
      ...scopes.map((scope) => addApiKey(t, desk, [scope], { name: `Only ${scope}` })),
    ]);
    [deskAdmin, deskOrganiser, deskViewer] = [admin, organiser, viewer];
    scopes.forEach((scope, index) => {
      keyWith[scope] = keys[index].key;
      keyIdWith[scope] = keys[index].id;
    });
  });

  afterAll(() => t.close());

  describe('partner organisations: the happy path', () => {
    it('creates, reads, lists, changes and deletes an organisation', async () => {
      const marker = tag();
      const name = `Thüringisches Institut für Textil- und Kunststoff-Forschung e.V. ${marker}`;
      const created = await call(owner(desk), 'post', ORGS, {
        name,
        shortName: 'TITK',
        kind: 'research_institute',
        country: 'de',
        city: 'Rudolstadt',
        website: 'https://www.titk.de',
        sectors: ['textile technology', ' plastics '],
        registerId: 'VR 230103',
        notes: 'Met at ITMA 2023.',
      });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      const organisation = created.body as OrganisationBody;
      expect(organisation).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name,
        shortName: 'TITK',
        kind: 'research_institute',
        country: 'DE',
        city: 'Rudolstadt',
        website: 'https://www.titk.de',
        sectors: ['textile technology', 'plastics'],
        registerId: 'VR 230103',
        notes: 'Met at ITMA 2023.',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
        // No agreements yet (test/agreements.e2e-spec.ts counts them).
        agreementCounts: {},
      });

      const path = `${ORGS}/${organisation.id}`;
      const fetched = await read<OrganisationBody>(owner(desk), path);
      expect(fetched.body).toEqual(organisation);
      expect(fetched.etag).toBe('"1"');
      expect(await list<OrganisationBody>(owner(desk), ORGS, { q: marker })).toEqual([
        organisation,
      ]);

      const changed = await call(owner(desk), 'patch', path, { city: 'Rudolstadt-Schwarza' });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toEqual({
        ...organisation,
        city: 'Rudolstadt-Schwarza',
        updatedAt: expect.any(String),
        version: 2,
      });
      expect((await read<OrganisationBody>(owner(desk), path)).body).toEqual(changed.body);

      const deleted = await call(owner(desk), 'delete', path);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectProblem(await call(owner(desk), 'get', path), 404, 'not_found');
      expectProblem(await call(owner(desk), 'patch', path, { city: 'Jena' }), 404, 'not_found');
      expectProblem(await call(owner(desk), 'delete', path), 404, 'not_found');
      expect(await list(owner(desk), ORGS, { q: marker })).toEqual([]);
    });

    it('creates an organisation from the required fields only', async () => {
      const name = `Petkus Technologie GmbH ${tag()}`;
      const created = await createOrganisation(t, owner(desk), { name, kind: 'company' });
      expect(created).toMatchObject({
        name,
        kind: 'company',
        country: 'DE',
        shortName: null,
        city: null,
        website: null,
        sectors: [],
        registerId: null,
        notes: null,
        version: 1,
      });
    });

    it.each([
      'company',
      'research_institute',
      'university',
      'chamber',
      'association',
      'ministry',
      'embassy',
      'consulate',
      'agency',
      'other',
    ])('accepts the kind %s', async (kind) => {
      const created = await createOrganisation(t, owner(desk), { kind });
      expect(created.kind).toBe(kind);
    });

    it('answers 404 for an id that does not exist and 400 for one that is no uuid', async () => {
      expectProblem(await call(owner(desk), 'get', `${ORGS}/${randomUUID()}`), 404, 'not_found');
      const malformed = await call(owner(desk), 'get', `${ORGS}/not-a-uuid`);
      expect(malformed.status).toBe(400);
      expect(malformed.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('contacts: the happy path', () => {
    it('creates, reads, lists, changes and deletes a contact', async () => {
      const organisation = await createOrganisation(t, owner(desk), {
        name: `National Chamber of Entrepreneurs ${tag()}`,
        kind: 'chamber',
        country: 'KZ',
      });
      const email = `aigerim.sadykova.${tag()}@atameken.example`;
      const created = await call(owner(desk), 'post', CONTACTS, {
        partnerOrganisationId: organisation.id,
        title: 'Dr.',
        firstName: 'Aigerim',
        lastName: 'Sadykova',
        position: 'Head of International Relations',
        email,
        phone: '+7 717 291 9300',
        preferredLanguage: 'RU',
        notes: 'Prefers calls in the morning (Astana time).',
      });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      const contact = created.body as ContactBody;
      expect(contact).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        partnerOrganisationId: organisation.id,
        title: 'Dr.',
        firstName: 'Aigerim',
        lastName: 'Sadykova',
        position: 'Head of International Relations',
        email,
        phone: '+7 717 291 9300',
        preferredLanguage: 'ru',
        notes: 'Prefers calls in the morning (Astana time).',
        erasedAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
      });

      const path = `${CONTACTS}/${contact.id}`;
      expect((await read<ContactBody>(owner(desk), path)).body).toEqual(contact);
      expect(
        await list<ContactBody>(owner(desk), CONTACTS, { partnerOrganisationId: organisation.id }),
      ).toEqual([contact]);

      const changed = await call(owner(desk), 'patch', path, {
        position: 'Deputy Chairwoman',
        preferredLanguage: 'en',
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toEqual({
        ...contact,
        position: 'Deputy Chairwoman',
        preferredLanguage: 'en',
        updatedAt: expect.any(String),
        version: 2,
      });

      expect((await call(owner(desk), 'delete', path)).status).toBe(204);
      expectProblem(await call(owner(desk), 'get', path), 404, 'not_found');
      expectProblem(await call(owner(desk), 'delete', path), 404, 'not_found');
      expect(await list(owner(desk), CONTACTS, { partnerOrganisationId: organisation.id })).toEqual(
        [],
      );
      // The organisation is free again.
      expect((await call(owner(desk), 'delete', `${ORGS}/${organisation.id}`)).status).toBe(204);
    });

    it('creates a contact from a last name only, without an organisation', async () => {
      const created = await call(owner(desk), 'post', CONTACTS, { lastName: 'Schröder' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        partnerOrganisationId: null,
        title: null,
        firstName: null,
        lastName: 'Schröder',
        email: null,
        preferredLanguage: null,
        version: 1,
      });
    });

    it('answers 404 for an id that does not exist and 400 for one that is no uuid', async () => {
      expectProblem(
        await call(owner(desk), 'get', `${CONTACTS}/${randomUUID()}`),
        404,
        'not_found',
      );
      const malformed = await call(owner(desk), 'get', `${CONTACTS}/12345`);
      expect(malformed.status).toBe(400);
      expect(malformed.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('validation', () => {
    const longText = (length: number) => 'x'.repeat(length);
    const tooManySectors = Array.from({ length: 21 }, (_, i) => `sector ${i}`);

    const badOrganisations: [string, string, Body][] = [
      ['an unknown country', 'country', { country: 'XX' }],
      ['a three-letter country', 'country', { country: 'DEU' }],
      ['a country name', 'country', { country: 'Germany' }],
      ['no country', 'country', { country: undefined }],
      ['an unknown kind', 'kind', { kind: 'startup' }],
      ['no kind', 'kind', { kind: undefined }],
      ['a website without protocol', 'website', { website: 'www.titk.de' }],
      ['an ftp website', 'website', { website: 'ftp://ftp.titk.de' }],
      ['a javascript: website', 'website', { website: 'javascript:alert(1)' }],
      ['a website that is no URL', 'website', { website: 'TITK homepage' }],
      ['21 sectors', 'sectors', { sectors: tooManySectors }],
      ['a 61-character sector', 'sectors', { sectors: ['textile', longText(61)] }],
      ['a duplicate sector', 'sectors', { sectors: ['textile', 'plastics', 'textile'] }],
      ['a duplicate sector after trimming', 'sectors', { sectors: ['textile', ' textile '] }],
      ['an empty sector', 'sectors', { sectors: [''] }],
      ['sectors as a string', 'sectors', { sectors: 'textile' }],
      ['no name', 'name', { name: undefined }],
      ['an empty name', 'name', { name: '' }],
      ['a blank name', 'name', { name: '   ' }],
      ['a 301-character name', 'name', { name: longText(301) }],
      ['a numeric name', 'name', { name: 42 }],
      ['an unknown field', 'founded', { founded: 1992 }],
      ['a tenantId', 'tenantId', { tenantId: randomUUID() }],
      ['an id', 'id', { id: randomUUID() }],
      ['a version', 'version', { version: 7 }],
    ];

    it.each(badOrganisations)(
      'POST organisation with %s: 400 naming %s, nothing created',
      async (_, field, overrides) => {
        const before = await countRows('partner_organisations', desk.tenantId);
        const response = await call(owner(desk), 'post', ORGS, organisationBody(overrides));
        expectInvalid(response, field);
        expect(await countRows('partner_organisations', desk.tenantId)).toBe(before);
      },
    );

    it('a 300-character name and 20 sectors of 60 characters are accepted', async () => {
      const sectors = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(60, 'x'));
      const name = `${tag()}${longText(292)}`;
      const created = await createOrganisation(t, owner(desk), { name, sectors });
      expect(created.name).toHaveLength(300);
      expect(created.sectors).toEqual(sectors);
    });

    let target: OrganisationBody;
    beforeAll(async () => {
      target = await createOrganisation(t, owner(desk), { name: `Validation target ${tag()}` });
    });

    const badOrganisationPatches: [string, string, Body][] = [
      ['name: null', 'name', { name: null }],
      ['an empty name', 'name', { name: '' }],
      ['kind: null', 'kind', { kind: null }],
      ['an unknown kind', 'kind', { kind: 'start-up' }],
      ['country: null', 'country', { country: null }],
      ['country XX', 'country', { country: 'XX' }],
      ['a website without protocol', 'website', { website: 'titk.de' }],
      ['a duplicate sector', 'sectors', { sectors: ['a', 'a'] }],
      ['an unknown field', 'headquarters', { headquarters: 'Rudolstadt' }],
    ];

    it.each(badOrganisationPatches)(
      'PATCH organisation with %s: 400 naming %s, unchanged',
      async (_, field, body) => {
        const path = `${ORGS}/${target.id}`;
        expectInvalid(await call(owner(desk), 'patch', path, body), field);
        expect((await read<OrganisationBody>(owner(desk), path)).body).toEqual(target);
      },
    );

    const badContacts: [string, string, Body][] = [
      ['no last name', 'lastName', { lastName: undefined }],
      ['an empty last name', 'lastName', { lastName: '' }],
      ['a blank last name', 'lastName', { lastName: '  ' }],
      ['a 101-character last name', 'lastName', { lastName: longText(101) }],
      ['an email without domain', 'email', { email: 'aigerim.sadykova@' }],
      ['an email without @', 'email', { email: 'aigerim.sadykova.atameken.kz' }],
      ['an email with spaces', 'email', { email: 'aigerim sadykova@atameken.kz' }],
      ['a three-letter language', 'preferredLanguage', { preferredLanguage: 'deu' }],
      ['a language name', 'preferredLanguage', { preferredLanguage: 'German' }],
      ['a one-letter language', 'preferredLanguage', { preferredLanguage: 'd' }],
      ['a language with digits', 'preferredLanguage', { preferredLanguage: 'd1' }],
      ['a locale', 'preferredLanguage', { preferredLanguage: 'de-DE' }],
      [
        'an organisation id that is no uuid',
        'partnerOrganisationId',
        {
          partnerOrganisationId: 'ATAMEKEN',
        },
      ],
      [
        'an organisation that does not exist',
        'partnerOrganisationId',
        {
          partnerOrganisationId: randomUUID(),
        },
      ],
      ['a 51-character title', 'title', { title: longText(51) }],
      ['an unknown field', 'company', { company: 'ATAMEKEN' }],
      ['a tenantId', 'tenantId', { tenantId: randomUUID() }],
    ];

    it.each(badContacts)(
      'POST contact with %s: 400 naming %s, nothing created',
      async (_, field, overrides) => {
        const before = await countRows('contacts', desk.tenantId);
        expectInvalid(await call(owner(desk), 'post', CONTACTS, contactBody(overrides)), field);
        expect(await countRows('contacts', desk.tenantId)).toBe(before);
      },
    );

    let person: ContactBody;
    beforeAll(async () => {
      person = await createContact(t, owner(desk), { lastName: 'Validierung' });
    });

    const badContactPatches: [string, string, Body][] = [
      ['lastName: null', 'lastName', { lastName: null }],
      ['an invalid email', 'email', { email: 'not-an-email' }],
      ['a bad language', 'preferredLanguage', { preferredLanguage: 'russian' }],
      [
        'an organisation that does not exist',
        'partnerOrganisationId',
        {
          partnerOrganisationId: randomUUID(),
        },
      ],
      ['an unknown field', 'birthday', { birthday: '1980-01-01' }],
    ];

    it.each(badContactPatches)(
      'PATCH contact with %s: 400 naming %s, unchanged',
      async (_, field, body) => {
        const path = `${CONTACTS}/${person.id}`;
        expectInvalid(await call(owner(desk), 'patch', path, body), field);
        expect((await read<ContactBody>(owner(desk), path)).body).toEqual(person);
      },
    );

    const badQueries: [string, string, string][] = [
      [ORGS, 'limit=0', 'limit'],
      [ORGS, 'limit=201', 'limit'],
      [ORGS, 'limit=ten', 'limit'],
      [ORGS, 'cursor=not-a-cursor', 'cursor'],
      [ORGS, 'country=XX', 'country'],
      [ORGS, 'kind=startup', 'kind'],
      [ORGS, 'updatedSince=yesterday', 'updatedSince'],
      [ORGS, `q=${longText(101)}`, 'q'],
      [ORGS, 'unknown=1', 'unknown'],
      [CONTACTS, 'limit=0', 'limit'],
      [CONTACTS, 'limit=201', 'limit'],
      [CONTACTS, 'cursor=eyJzIjoibmFtZSxpZDpBU0MiLCJ2IjpbIngiLCJ5Il19', 'cursor'],
      [CONTACTS, 'partnerOrganisationId=ATAMEKEN', 'partnerOrganisationId'],
      [CONTACTS, 'updatedSince=not-a-date', 'updatedSince'],
    ];

    it.each(badQueries)('GET %s?%s: 400 naming %s', async (path, query, field) => {
      expectInvalid(await call(owner(desk), 'get', `${path}?${query}`), field);
    });
  });

  describe('search and filters', () => {
    const CHAMBER = 'National Chamber of Entrepreneurs of the Republic of Kazakhstan';
    const TITK = 'Thüringisches Institut für Textil- und Kunststoff-Forschung e.V.';
    const TASHKENT = 'Tashkent Textile Institute';
    const UZTEXTILE = 'Association of the Textile Industry of Uzbekistan';
    const PETKUS = 'Petkus Technologie GmbH';
    const ERFURT = 'Erfurt Bildungszentrum gGmbH';
    const TPP = 'Торгово-промышленная палата Республики Узбекистан';
    const org = {} as Record<string, OrganisationBody>;
    const person = {} as Record<'sadykova' | 'mueller' | 'karimova' | 'schroeder', ContactBody>;

    beforeAll(async () => {
      const fixtures: Body[] = [
        {
          name: CHAMBER,
          shortName: 'ATAMEKEN',
          kind: 'chamber',
          country: 'KZ',
          city: 'Astana',
          sectors: ['trade promotion'],
        },
        {
          name: TITK,
          shortName: 'TITK',
          kind: 'research_institute',
          country: 'DE',
          city: 'Rudolstadt',
          sectors: ['textile technology', 'plastics'],
        },
        {
          name: TASHKENT,
          kind: 'university',
          country: 'uz',
          city: 'Tashkent',
          sectors: ['textile technology', 'education'],
        },
        { name: UZTEXTILE, kind: 'association', country: 'UZ', sectors: ['textile technology'] },
        { name: PETKUS, kind: 'company', country: 'DE', sectors: ['agricultural machinery'] },
        { name: ERFURT, kind: 'other', country: 'DE', city: 'Erfurt', sectors: ['education'] },
        { name: TPP, shortName: 'ТПП', kind: 'chamber', country: 'UZ', city: 'Ташкент' },
      ];
      for (const fixture of fixtures) {
        org[fixture.name as string] = await createOrganisation(t, owner(atlas), fixture);
      }
      person.sadykova = await createContact(t, owner(atlas), {
        partnerOrganisationId: org[CHAMBER].id,
        firstName: 'Aigerim',
        lastName: 'Sadykova',
        email: 'a.sadykova@chamber.example.kz',
      });
      person.mueller = await createContact(t, owner(atlas), {
        partnerOrganisationId: org[TITK].id,
        title: 'Dr.',
        firstName: 'Jörg',
        lastName: 'Müller',
        email: 'j.mueller@titk.example.de',
      });
      person.karimova = await createContact(t, owner(atlas), {
        partnerOrganisationId: org[TASHKENT].id,
        firstName: 'Dilnoza',
        lastName: 'Karimova',
        email: 'dilnoza.k@ttesi.example.uz',
      });
      person.schroeder = await createContact(t, owner(atlas), {
        firstName: 'Heike',
        lastName: 'Schröder',
        email: 'heike.schroeder@mail.example',
      });
    });

    const searchOrganisations = async (query: Body) =>
      names(await list<OrganisationBody>(owner(atlas), ORGS, query));
    const searchContacts = async (query: Body) =>
      (await list<ContactBody>(owner(atlas), CONTACTS, query)).map((c) => c.lastName);

    it('lists every organisation by name', async () => {
      expect(await searchOrganisations({})).toEqual([
        UZTEXTILE,
        ERFURT,
        CHAMBER,
        PETKUS,
        TASHKENT,
        TITK,
        TPP,
      ]);
    });

    it.each([
      ['the short name in lower case', 'atameken', [CHAMBER]],
      ['the short name', 'ATAMEKEN', [CHAMBER]],
      ['a typo in the short name', 'Atamekn', [CHAMBER]],
      ['part of a word of the name', 'Kunststof', [TITK]],
      ['a word without its umlaut', 'thuringisches', [TITK]],
      ['a word with its umlaut, upper case', 'THÜRINGISCHES', [TITK]],
      ['an acronym in lower case', 'titk', [TITK]],
      ['a word of the name, mixed case', 'kAzAkHsTaN', [CHAMBER]],
      ['a typo in a word of the name', 'Kazakstan', [CHAMBER]],
      ['a word that several names share', 'textile', [UZTEXTILE, TASHKENT, TITK]],
      ['a long word of the name', 'Bildungszentrum', [ERFURT]],
      ['a company', 'petkus', [PETKUS]],
      ['an accent the name does not have', 'Pétkus', [PETKUS]],
      ['a Cyrillic word in upper case', 'ПАЛАТА', [TPP]],
      ['a Cyrillic short name', 'тпп', [TPP]],
      ['a Cyrillic word spelt differently', 'Узбекистон', [TPP]],
      ['surrounding blanks', '  Erfurt  ', [ERFURT]],
      ['nonsense', 'qwxzvbnm', []],
      ['a percent sign, literally', '%', []],
      ['an underscore, literally', '_', []],
    ])('q: %s ("%s")', async (_, q, expected) => {
      expect(await searchOrganisations({ q })).toEqual(expected);
    });

    it('"textile" does not find the look-alike Petkus Technologie', async () => {
      expect(await searchOrganisations({ q: 'textile' })).not.toContain(PETKUS);
    });

    it.each([
      [{ country: 'DE' }, [ERFURT, PETKUS, TITK]],
      [{ country: 'uz' }, [UZTEXTILE, TASHKENT, TPP]],
      [{ country: 'FR' }, []],
      [{ kind: 'chamber' }, [CHAMBER, TPP]],
      [{ kind: 'university' }, [TASHKENT]],
      [{ kind: 'embassy' }, []],
      [{ sector: 'textile technology' }, [UZTEXTILE, TASHKENT, TITK]],
      [{ sector: 'education' }, [ERFURT, TASHKENT]],
      [{ sector: 'textile' }, []],
      [{ q: 'textile', country: 'UZ' }, [UZTEXTILE, TASHKENT]],
      [{ q: 'textile', kind: 'research_institute' }, [TITK]],
      [{ country: 'DE', sector: 'education' }, [ERFURT]],
    ])('filter %o', async (query, expected) => {
      expect(await searchOrganisations(query)).toEqual(expected);
    });

    it('updatedSince lists only organisations changed at or after the instant', async () => {
      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect(await searchOrganisations({ updatedSince: future })).toEqual([]);
      const epoch = '2000-01-01T00:00:00Z';
      expect(await searchOrganisations({ updatedSince: epoch })).toHaveLength(7);

      // A no-op PATCH must not count as a change; a real one must.
      const path = `${ORGS}/${org[ERFURT].id}`;
      const changed = await call(owner(atlas), 'patch', path, { notes: 'Dual study partner' });
      expect(changed.status).toBe(200);
      const since = (changed.body as OrganisationBody).updatedAt;
      const others = Object.values(org).filter((o) => o.id !== org[ERFURT].id);
      for (const other of others) expect(other.updatedAt < since).toBe(true);
      expect(await searchOrganisations({ updatedSince: since })).toEqual([ERFURT]);
      expect(await searchOrganisations({ updatedSince: since, country: 'KZ' })).toEqual([]);
    });

    it('lists every contact by last name', async () => {
      expect(await searchContacts({})).toEqual(['Karimova', 'Müller', 'Sadykova', 'Schröder']);
    });

    it.each([
      ['a last name', 'Sadykova', ['Sadykova']],
      ['a first name', 'aigerim', ['Sadykova']],
      ['a typo in a last name', 'Sadykva', ['Sadykova']],
      ['a last name without umlaut', 'muller', ['Müller']],
      ['a last name with umlaut', 'MÜLLER', ['Müller']],
      ['a first name without umlaut', 'Jorg', ['Müller']],
      ['a whole email', 'j.mueller@titk.example.de', ['Müller']],
      ['an email in upper case', 'DILNOZA.K@TTESI.EXAMPLE.UZ', ['Karimova']],
      ['part of an email', 'heike.schroeder@', ['Schröder']],
      ['the organisation short name', 'ATAMEKEN', ['Sadykova']],
      ['a word of the organisation name', 'Kunststoff', ['Müller']],
      ['the organisation name, fuzzily', 'tashkent textil', ['Karimova']],
      ['nonsense', 'qwxzvbnm', []],
    ])('contacts q: %s ("%s")', async (_, q, expected) => {
      expect(await searchContacts({ q })).toEqual(expected);
    });

    it('pages through search results and contacts with cursors', async () => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const response = await call(
          owner(atlas),
          'get',
          `${ORGS}?q=textile&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(response.status).toBe(200);
        pages.push(names(response.body.items));
        cursor = response.body.nextCursor;
      } while (cursor);
      expect(pages).toEqual([[UZTEXTILE, TASHKENT], [TITK]]);

      const first = await call(owner(atlas), 'get', `${CONTACTS}?limit=3`);
      expect((first.body as PageBody<ContactBody>).items.map((c) => c.lastName)).toEqual([
        'Karimova',
        'Müller',
        'Sadykova',
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await call(
        owner(atlas),
        'get',
        `${CONTACTS}?limit=3&cursor=${first.body.nextCursor}`,
      );
      expect(second.body).toEqual({ items: [person.schroeder], nextCursor: null });
    });

    it('contacts filter by organisation and by updatedSince', async () => {
      expect(await searchContacts({ partnerOrganisationId: org[TITK].id })).toEqual(['Müller']);
      expect(await searchContacts({ partnerOrganisationId: org[PETKUS].id })).toEqual([]);
      expect(await searchContacts({ partnerOrganisationId: randomUUID() })).toEqual([]);
      expect(
        await searchContacts({ partnerOrganisationId: org[CHAMBER].id, q: 'aigerim' }),
      ).toEqual(['Sadykova']);
      expect(
        await searchContacts({ partnerOrganisationId: org[CHAMBER].id, q: 'karimova' }),
      ).toEqual([]);

      const changed = await call(owner(atlas), 'patch', `${CONTACTS}/${person.karimova.id}`, {
        position: 'Vice-Rector',
      });
      expect(changed.status).toBe(200);
      const since = (changed.body as ContactBody).updatedAt;
      expect(await searchContacts({ updatedSince: since })).toEqual(['Karimova']);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect(await searchContacts({ updatedSince: future })).toEqual([]);
    });
  });

  describe('PATCH semantics', () => {
    const full = (): Body => ({
      name: `Erfurt Bildungszentrum gGmbH ${tag()}`,
      shortName: 'EBZ',
      kind: 'other',
      country: 'DE',
      city: 'Erfurt',
      website: 'http://www.ebz-erfurt.example',
      sectors: ['education', 'vocational training'],
      registerId: 'HRB 1234',
      notes: 'Runs the welding courses.',
    });

    it('changes only the fields sent', async () => {
      const organisation = await createOrganisation(t, owner(desk), full());
      const path = `${ORGS}/${organisation.id}`;
      const response = await call(owner(desk), 'patch', path, {
        sectors: ['education'],
        country: 'th',
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...organisation,
        sectors: ['education'],
        country: 'TH',
        updatedAt: expect.any(String),
        version: 2,
      });
      expect((await read<OrganisationBody>(owner(desk), path)).body).toEqual(response.body);
    });

    it('null clears the optional fields of an organisation', async () => {
      const organisation = await createOrganisation(t, owner(desk), full());
      const path = `${ORGS}/${organisation.id}`;
      const response = await call(owner(desk), 'patch', path, {
        shortName: null,
        city: null,
        website: null,
        registerId: null,
        notes: null,
        sectors: [],
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...organisation,
        shortName: null,
        city: null,
        website: null,
        registerId: null,
        notes: null,
        sectors: [],
        updatedAt: expect.any(String),
        version: 2,
      });
      expect((await read<OrganisationBody>(owner(desk), path)).body).toEqual(response.body);
    });

    it('a PATCH that changes nothing keeps the version, the timestamp and the audit trail', async () => {
      const organisation = await createOrganisation(t, owner(desk), full());
      const path = `${ORGS}/${organisation.id}`;
      for (const body of [
        {},
        { city: 'Erfurt' },
        { country: 'de', kind: 'other' },
        { sectors: ['education', 'vocational training'] },
        { name: ` ${organisation.name} ` },
      ]) {
        const response = await call(owner(desk), 'patch', path, body);
        expect(response.status).toBe(200);
        expect(response.headers.etag).toBe('"1"');
        expect(response.body).toEqual(organisation);
      }
      expect((await read<OrganisationBody>(owner(desk), path)).body).toEqual(organisation);
      const events = await auditEvents(desk, 'partner_organisation', organisation.id);
      expect(events.map((event) => event.action)).toEqual(['partner_organisation.created']);
    });

    it('contacts: only sent fields change, null clears, and nothing sent keeps the version', async () => {
      const organisation = await createOrganisation(t, owner(desk));
      const contact = await createContact(t, owner(desk), {
        partnerOrganisationId: organisation.id,
        title: 'Prof. Dr.',
        position: 'Rector',
        phone: '+998 71 253 0606',
        preferredLanguage: 'uz',
        notes: 'Vegetarian.',
      });
      const path = `${CONTACTS}/${contact.id}`;
      const changed = await call(owner(desk), 'patch', path, { position: 'Vice-Rector' });
      expect(changed.body).toEqual({
        ...contact,
        position: 'Vice-Rector',
        updatedAt: expect.any(String),
        version: 2,
      });
      const cleared = await call(owner(desk), 'patch', path, {
        partnerOrganisationId: null,
        title: null,
        firstName: null,
        position: null,
        email: null,
        phone: null,
        preferredLanguage: null,
        notes: null,
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toEqual({
        ...contact,
        partnerOrganisationId: null,
        title: null,
        firstName: null,
        position: null,
        email: null,
        phone: null,
        preferredLanguage: null,
        notes: null,
        updatedAt: expect.any(String),
        version: 3,
      });
      const unchanged = await call(owner(desk), 'patch', path, { lastName: contact.lastName });
      expect(unchanged.status).toBe(200);
      expect(unchanged.body).toEqual(cleared.body);
      expect(unchanged.headers.etag).toBe('"3"');
    });
  });

  describe('ETag and If-Match', () => {
    it.each([
      ['organisation', ORGS, { city: 'Jena' }, { city: 'Gera' }],
      ['contact', CONTACTS, { position: 'CEO' }, { position: 'CFO' }],
    ] as [string, string, Body, Body][])(
      '%s: ETag, If-None-Match, stale and current If-Match on PATCH and DELETE',
      async (what, base, change, otherChange) => {
        const created =
          what === 'organisation'
            ? await createOrganisation(t, owner(desk))
            : await createContact(t, owner(desk));
        const path = `${base}/${created.id}`;
        const first = await read<{ version: number }>(owner(desk), path);
        expect(first.etag).toBe('"1"');

        // An organisation shows its agreement counts, which change without it changing:
        // its current ETag is never answered with 304 (as for trips); a contact's is.
        const notModified = await call(owner(desk), 'get', path).set('If-None-Match', '"1"');
        if (what === 'organisation') {
          expect(notModified.status).toBe(200);
          expect(notModified.headers.etag).toBe('"1"');
        } else {
          expect(notModified.status).toBe(304);
          expect(notModified.text).toBe('');
        }
        const stillModified = await call(owner(desk), 'get', path).set('If-None-Match', '"9"');
        expect(stillModified.status).toBe(200);

        const patched = await call(owner(desk), 'patch', path, change).set('If-Match', '"1"');
        expect(patched.status).toBe(200);
        expect(patched.headers.etag).toBe('"2"');
        const current = await read<{ version: number }>(owner(desk), path);
        expect(current.etag).toBe('"2"');

        // Somebody still holding version 1 is refused, and nothing changes.
        for (const ifMatch of ['"1"', 'W/"1"', '"3"', 'banana']) {
          const stale = await call(owner(desk), 'patch', path, otherChange).set(
            'If-Match',
            ifMatch,
          );
          expectProblem(stale, 412, 'precondition_failed');
          const staleDelete = await call(owner(desk), 'delete', path).set('If-Match', ifMatch);
          expectProblem(staleDelete, 412, 'precondition_failed');
        }
        expect(await read(owner(desk), path)).toEqual(current);

        const star = await call(owner(desk), 'patch', path, otherChange).set('If-Match', '*');
        expect(star.status).toBe(200);
        expect(star.headers.etag).toBe('"3"');
        expect((await call(owner(desk), 'delete', path).set('If-Match', '"3"')).status).toBe(204);
        expectProblem(await call(owner(desk), 'get', path), 404, 'not_found');
      },
    );
  });

  describe('concurrent edits', () => {
    it('two clients changing the same version: one wins, the other gets 412 and loses nothing', async () => {
      const organisation = await createOrganisation(t, owner(desk));
      const path = `${ORGS}/${organisation.id}`;
      const responses = await Promise.all([
        call(owner(desk), 'patch', path, { city: 'Jena' }).set('If-Match', '"1"'),
        call(bearer(deskOrganiser.accessToken), 'patch', path, { city: 'Gera' }).set(
          'If-Match',
          '"1"',
        ),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 412]);
      const winner = responses.find((response) => response.status === 200)!;
      const current = await read<OrganisationBody>(owner(desk), path);
      expect(current.body).toEqual(winner.body);
      expect(current.etag).toBe('"2"');
      const events = await auditEvents(desk, 'partner_organisation', organisation.id);
      expect(events.map((event) => event.action)).toEqual([
        'partner_organisation.updated',
        'partner_organisation.created',
      ]);
    });

    it('concurrent changes without If-Match are applied one after the other', async () => {
      const contact = await createContact(t, owner(desk));
      const path = `${CONTACTS}/${contact.id}`;
      const responses = await Promise.all([
        call(owner(desk), 'patch', path, { position: 'Director' }),
        call(owner(desk), 'patch', path, { phone: '+49 3672 379 0' }),
        call(owner(desk), 'patch', path, { preferredLanguage: 'de' }),
      ]);
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      expect((await read<ContactBody>(owner(desk), path)).body).toMatchObject({
        position: 'Director',
        phone: '+49 3672 379 0',
        preferredLanguage: 'de',
        version: 4,
      });
    });
  });

  describe('deleting an organisation that contacts refer to', () => {
    it('is refused with 409 in_use while a contact refers to it, and works once it moved away', async () => {
      const [organisation, elsewhere] = await Promise.all([
        createOrganisation(t, owner(desk), { name: `Tashkent Textile Institute ${tag()}` }),
        createOrganisation(t, owner(desk), { name: `Uzbek Textile Association ${tag()}` }),
      ]);
      const contact = await createContact(t, owner(desk), {
        lastName: 'Karimova',
        partnerOrganisationId: organisation.id,
      });
      const path = `${ORGS}/${organisation.id}`;
      for (const ifMatch of [undefined, '"1"']) {
        const request = call(owner(desk), 'delete', path);
        const refused = await (ifMatch ? request.set('If-Match', ifMatch) : request);
        expectProblem(refused, 409, 'in_use');
      }
      expect((await read<OrganisationBody>(owner(desk), path)).body).toEqual(organisation);
      expect((await read<ContactBody>(owner(desk), `${CONTACTS}/${contact.id}`)).body).toEqual(
        contact,
      );
      const events = await auditEvents(desk, 'partner_organisation', organisation.id);
      expect(events.map((event) => event.action)).toEqual(['partner_organisation.created']);

      const moved = await call(owner(desk), 'patch', `${CONTACTS}/${contact.id}`, {
        partnerOrganisationId: elsewhere.id,
      });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ partnerOrganisationId: elsewhere.id });
      expect((await call(owner(desk), 'delete', path)).status).toBe(204);
      expectProblem(await call(owner(desk), 'get', path), 404, 'not_found');
      expectProblem(await call(owner(desk), 'delete', `${ORGS}/${elsewhere.id}`), 409, 'in_use');
    });

    it('works once the contact was deleted', async () => {
      const organisation = await createOrganisation(t, owner(desk));
      const contacts = await Promise.all([
        createContact(t, owner(desk), { partnerOrganisationId: organisation.id }),
        createContact(t, owner(desk), { partnerOrganisationId: organisation.id }),
      ]);
      const path = `${ORGS}/${organisation.id}`;
      expectProblem(await call(owner(desk), 'delete', path), 409, 'in_use');
      expect((await call(owner(desk), 'delete', `${CONTACTS}/${contacts[0].id}`)).status).toBe(204);
      expectProblem(await call(owner(desk), 'delete', path), 409, 'in_use');
      expect((await call(owner(desk), 'delete', `${CONTACTS}/${contacts[1].id}`)).status).toBe(204);
      expect((await call(owner(desk), 'delete', path)).status).toBe(204);
    });

    it('racing a delete with a new contact at it never leaves the contact without its organisation', async () => {
      const organisation = await createOrganisation(t, owner(desk));
      const lastName = `Racer ${tag()}`;
      const [deleted, added] = await Promise.all([
        call(owner(desk), 'delete', `${ORGS}/${organisation.id}`),
        call(
          owner(desk),
          'post',
          CONTACTS,
          contactBody({ lastName, partnerOrganisationId: organisation.id }),
        ),
      ]);
      const outcome = [deleted.status, added.status];
      expect([
        [204, 400],
        [409, 201],
      ]).toContainEqual(outcome);
      const rows = await t.dataSource.query<{ partner_organisation_id: string | null }[]>(
        'SELECT partner_organisation_id FROM contacts WHERE tenant_id = $1 AND last_name = $2',
        [desk.tenantId, lastName],
      );
      if (added.status === 201) {
        expect(rows).toEqual([{ partner_organisation_id: organisation.id }]);
        expect((await call(owner(desk), 'get', `${ORGS}/${organisation.id}`)).status).toBe(200);
      } else {
        expectInvalid(added, 'partnerOrganisationId');
        expect(rows).toEqual([]);
      }
    });
  });

  describe('duplicate contact emails', () => {
    it('a second contact with the same email, in any letter case, is 409 naming the first', async () => {
      const marker = tag();
      const email = `Dilnoza.Karimova.${marker}@ttesi.example.uz`;
      const first = await createContact(t, owner(desk), { lastName: 'Karimova', email });
      for (const again of [email, email.toLowerCase(), email.toUpperCase(), ` ${email} `]) {
        const duplicate = await call(
          owner(desk),
          'post',
          CONTACTS,
          contactBody({ lastName: 'Karimova-Duplicate', email: again }),
        );
        expectProblem(duplicate, 409, 'contact_email_taken');
        expect(duplicate.body.existingContactId).toBe(first.id);
      }
      const withEmail = await list<ContactBody>(owner(desk), CONTACTS, { q: marker });
      expect(ids(withEmail)).toEqual([first.id]);
    });

    it('changing a contact to a colleague’s email is 409 naming the colleague, and changes nothing', async () => {
      const email = `j.mueller.${tag()}@titk.example.de`;
      const first = await createContact(t, owner(desk), { lastName: 'Müller', email });
      const second = await createContact(t, owner(desk), { lastName: 'Meier' });
      const path = `${CONTACTS}/${second.id}`;
      for (const taken of [email, email.toUpperCase()]) {
        const response = await call(owner(desk), 'patch', path, {
          email: taken,
          position: 'Head of Lab',
        });
        expectProblem(response, 409, 'contact_email_taken');
        expect(response.body.existingContactId).toBe(first.id);
      }
      expect((await read<ContactBody>(owner(desk), path)).body).toEqual(second);
    });

    it('a contact may change the letter case of its own email', async () => {
      const email = `heike.schroeder.${tag()}@mail.example`;
      const contact = await createContact(t, owner(desk), { email });
      const response = await call(owner(desk), 'patch', `${CONTACTS}/${contact.id}`, {
        email: email.toUpperCase(),
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ email: email.toUpperCase(), version: 2 });
    });

    it('an email freed by a deleted or changed contact can be used again', async () => {
      const email = `reused.${tag()}@partner.example`;
      const first = await createContact(t, owner(desk), { email });
      const renamed = await call(owner(desk), 'patch', `${CONTACTS}/${first.id}`, {
        email: `other.${email}`,
      });
      expect(renamed.status).toBe(200);
      const second = await createContact(t, owner(desk), { email });
      expect((await call(owner(desk), 'delete', `${CONTACTS}/${second.id}`)).status).toBe(204);
      await createContact(t, owner(desk), { email });
    });

    it('two concurrent contacts with the same email: one is created, the other is 409 naming it', async () => {
      const email = `race.${tag()}@partner.example`;
      const responses = await Promise.all([
        call(owner(desk), 'post', CONTACTS, contactBody({ lastName: 'Erste', email })),
        call(owner(desk), 'post', CONTACTS, contactBody({ lastName: 'Zweite', email })),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      const created = responses.find((response) => response.status === 201)!;
      const refused = responses.find((response) => response.status === 409)!;
      expectProblem(refused, 409, 'contact_email_taken');
      expect(refused.body.existingContactId).toBe(created.body.id);
      const [row] = await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND email = $2',
        [desk.tenantId, email],
      );
      expect(row.n).toBe(1);
    });

    it('two contacts without email are no duplicates', async () => {
      await createContact(t, owner(desk), { email: undefined });
      await createContact(t, owner(desk), { email: null });
    });
  });

  describe('roles and API key scopes', () => {
    type Who =
      | 'owner'
      | 'admin'
      | 'organiser'
      | 'viewer'
      | 'directory:read key'
      | 'directory:write key'
      | 'trips:read key';
    const headersOf = (who: Who): Headers => {
      switch (who) {
        case 'owner':
          return owner(desk);
        case 'admin':
          return bearer(deskAdmin.accessToken);
        case 'organiser':
          return bearer(deskOrganiser.accessToken);
        case 'viewer':
          return bearer(deskViewer.accessToken);
        case 'directory:read key':
          return apiKey(keyWith['directory:read']);
        case 'directory:write key':
          return apiKey(keyWith['directory:write']);
        case 'trips:read key':
          return apiKey(keyWith['trips:read']);
      }
    };

    const MATRIX: { who: Who; read: boolean; write: boolean }[] = [
      { who: 'owner', read: true, write: true },
      { who: 'admin', read: true, write: true },
      { who: 'organiser', read: true, write: true },
      { who: 'viewer', read: true, write: false },
      { who: 'directory:read key', read: true, write: false },
      { who: 'directory:write key', read: true, write: true },
      { who: 'trips:read key', read: false, write: false },
    ];

    let fixtureOrg: OrganisationBody;
    let fixtureContact: ContactBody;
    const fixtureMarker = tag();
    beforeAll(async () => {
      fixtureOrg = await createOrganisation(t, owner(desk), {
        name: `Access fixture ${fixtureMarker}`,
      });
      fixtureContact = await createContact(t, owner(desk), {
        partnerOrganisationId: fixtureOrg.id,
        lastName: 'Zugriff',
      });
    });

    it.each(MATRIX)('$who: reads $read, writes $write', async ({ who, read: reads, write }) => {
      const headers = headersOf(who);
      const orgPath = `${ORGS}/${fixtureOrg.id}`;
      const contactPath = `${CONTACTS}/${fixtureContact.id}`;
      const readResponses = await Promise.all([
        call(headers, 'get', `${ORGS}?q=${fixtureMarker}`),
        call(headers, 'get', orgPath),
        call(headers, 'get', `${CONTACTS}?partnerOrganisationId=${fixtureOrg.id}`),
        call(headers, 'get', contactPath),
      ]);
      if (reads) {
        expect(readResponses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
        expect(ids(readResponses[0].body.items)).toEqual([fixtureOrg.id]);
        expect(readResponses[1].body).toEqual(fixtureOrg);
        expect(ids(readResponses[2].body.items)).toEqual([fixtureContact.id]);
        expect(readResponses[3].body).toEqual(fixtureContact);
      } else {
        for (const response of readResponses) {
          expectProblem(response, 403, 'forbidden');
          expect(response.body.detail).toMatch(/directory:read or directory:write/);
        }
      }

      const name = `Written by ${who} ${tag()}`;
      if (write) {
        const org = await call(headers, 'post', ORGS, organisationBody({ name }));
        expect(org.status).toBe(201);
        const orgId = (org.body as OrganisationBody).id;
        const contact = await call(headers, 'post', CONTACTS, {
          ...contactBody(),
          partnerOrganisationId: orgId,
        });
        expect(contact.status).toBe(201);
        const contactId = (contact.body as ContactBody).id;
        const patchedOrg = await call(headers, 'patch', `${ORGS}/${orgId}`, { city: 'Jena' });
        expect(patchedOrg.status).toBe(200);
        expect(patchedOrg.body).toMatchObject({ city: 'Jena', version: 2 });
        const patchedContact = await call(headers, 'patch', `${CONTACTS}/${contactId}`, {
          position: 'Buyer',
        });
        expect(patchedContact.status).toBe(200);
        expect((await call(headers, 'delete', `${CONTACTS}/${contactId}`)).status).toBe(204);
        expect((await call(headers, 'delete', `${ORGS}/${orgId}`)).status).toBe(204);
        const events = await auditEvents(desk, 'partner_organisation', orgId);
        const actor =
          who === 'directory:write key'
            ? { actorType: 'api_key', actorId: keyIdWith['directory:write'] }
            : { actorType: 'user' };
        expect(events).toHaveLength(3);
        for (const event of events) expect(event).toMatchObject(actor);
      } else {
        const before = {
          orgs: await countRows('partner_organisations', desk.tenantId),
          contacts: await countRows('contacts', desk.tenantId),
        };
        const writes = await Promise.all([
          call(headers, 'post', ORGS, organisationBody({ name })),
          call(headers, 'patch', orgPath, { name }),
          call(headers, 'delete', orgPath),
          call(headers, 'post', CONTACTS, contactBody({ lastName: name })),
          call(headers, 'patch', contactPath, { lastName: name }),
          call(headers, 'delete', contactPath),
        ]);
        for (const response of writes) {
          expectProblem(response, 403, 'forbidden');
          expect(response.body.detail).toMatch(
            who.endsWith('key') ? /needs the scope directory:write/ : /\(viewer\)/,
          );
        }
        expect(await countRows('partner_organisations', desk.tenantId)).toBe(before.orgs);
        expect(await countRows('contacts', desk.tenantId)).toBe(before.contacts);
        expect(await read(owner(desk), orgPath)).toMatchObject({ body: fixtureOrg, etag: '"1"' });
        expect(await read(owner(desk), contactPath)).toMatchObject({
          body: fixtureContact,
          etag: '"1"',
        });
      }
    });

    it('a viewer’s invalid write is still 403, not 400', async () => {
      const response = await call(bearer(deskViewer.accessToken), 'post', ORGS, { name: '' });
      expectProblem(response, 403, 'forbidden');
    });

    it('without credentials every route answers 401', async () => {
      for (const [method, path] of [
        ['get', ORGS],
        ['post', ORGS],
        ['get', `${ORGS}/${randomUUID()}`],
        ['patch', `${ORGS}/${randomUUID()}`],
        ['delete', `${ORGS}/${randomUUID()}`],
        ['get', CONTACTS],
        ['post', CONTACTS],
        ['get', `${CONTACTS}/${randomUUID()}`],
        ['patch', `${CONTACTS}/${randomUUID()}`],
        ['delete', `${CONTACTS}/${randomUUID()}`],
      ] as [Method, string][]) {
        const body = method === 'post' || method === 'patch' ? organisationBody() : undefined;
        expectProblem(await call({}, method, path, body), 401, 'authentication_required');
      }
    });
  });

  describe('tenant isolation', () => {
    /** desk's and rival's look-alike records: same names, same email. */
    let mine: { org: OrganisationBody; contact: ContactBody };
    let theirs: { org: OrganisationBody; contact: ContactBody };
    let theirsBefore: {
      org: { body: unknown; etag: string };
      contact: { body: unknown; etag: string };
    };
    const sharedMarker = tag();
    const sharedEmail = `aigerim.sadykova.${sharedMarker}@atameken.example`;
    const rivalMarker = `Rivalmarker${tag()}`;

    beforeAll(async () => {
      const setUp = async (agency: Agency, notes: string) => {
        const org = await createOrganisation(t, owner(agency), {
          name: 'National Chamber of Entrepreneurs of the Republic of Kazakhstan',
          shortName: 'ATAMEKEN',
          kind: 'chamber',
          country: 'KZ',
          notes,
        });
        const contact = await createContact(t, owner(agency), {
          partnerOrganisationId: org.id,
          lastName: 'Sadykova',
          email: sharedEmail,
          notes,
        });
        return { org, contact };
      };
      mine = await setUp(desk, 'ours');
      // The same email in another agency is fine.
      theirs = await setUp(rival, rivalMarker);
      theirsBefore = {
        org: await read(owner(rival), `${ORGS}/${theirs.org.id}`),
        contact: await read(owner(rival), `${CONTACTS}/${theirs.contact.id}`),
      };
    });

    /** The problem body apart from `instance`, which echoes the path (and so the id). */
    const withoutInstance = (response: Response, path: string) => {
      const { instance, ...rest } = response.body as { instance?: string };
      expect(instance).toBe(`/api/v1${path}`);
      return rest;
    };

    const operations: [string, Method, string, Body | undefined][] = [
      ['GET organisation', 'get', ORGS, undefined],
      ['PATCH organisation', 'patch', ORGS, { name: 'Taken over', country: 'DE' }],
      ['DELETE organisation', 'delete', ORGS, undefined],
      ['GET contact', 'get', CONTACTS, undefined],
      ['PATCH contact', 'patch', CONTACTS, { lastName: 'Taken over', partnerOrganisationId: null }],
      ['DELETE contact', 'delete', CONTACTS, undefined],
    ];

    it.each(operations)(
      "%s of the other agency's record is 404, exactly like a random id",
      async (_, method, base, body) => {
        const id = base === ORGS ? theirs.org.id : theirs.contact.id;
        for (const headers of [owner(desk), apiKey(keyWith['directory:write'])]) {
          const foreign = await call(headers, method, `${base}/${id}`, body);
          const randomPath = `${base}/${randomUUID()}`;
          const missing = await call(headers, method, randomPath, body);
          expectProblem(foreign, 404, 'not_found');
          expectProblem(missing, 404, 'not_found');
          expect(withoutInstance(foreign, `${base}/${id}`)).toEqual(
            withoutInstance(missing, randomPath),
          );
          expect(foreign.headers.etag).toBeUndefined();
          expect(JSON.stringify(foreign.body)).not.toContain(rivalMarker);
        }
        // And with If-Match: still 404, never a 412 that would confirm the id exists.
        if (method !== 'get') {
          const withIfMatch = await call(owner(desk), method, `${base}/${id}`, body).set(
            'If-Match',
            '"99"',
          );
          expectProblem(withIfMatch, 404, 'not_found');
        }
      },
    );

    it("a contact cannot point at the other agency's organisation (400, like an unknown id)", async () => {
      const before = await countRows('contacts', desk.tenantId);
      const foreign = await call(
        owner(desk),
        'post',
        CONTACTS,
        contactBody({ partnerOrganisationId: theirs.org.id }),
      );
      const unknown = await call(
        owner(desk),
        'post',
        CONTACTS,
        contactBody({ partnerOrganisationId: randomUUID() }),
      );
      expectInvalid(foreign, 'partnerOrganisationId');
      expect(foreign.body).toEqual(unknown.body);
      expect(await countRows('contacts', desk.tenantId)).toBe(before);

      const moved = await call(owner(desk), 'patch', `${CONTACTS}/${mine.contact.id}`, {
        partnerOrganisationId: theirs.org.id,
      });
      expectInvalid(moved, 'partnerOrganisationId');
      expect((await read(owner(desk), `${CONTACTS}/${mine.contact.id}`)).body).toEqual(
        mine.contact,
      );
      // The rival's organisation gained no contact from any of this.
      expect(
        ids(
          await list<ContactBody>(owner(rival), CONTACTS, {
            partnerOrganisationId: theirs.org.id,
          }),
        ),
      ).toEqual([theirs.contact.id]);
    });

    it('lists and searches show only their own agency', async () => {
      const myOrgs = await list<OrganisationBody>(owner(desk), ORGS);
      const myContacts = await list<ContactBody>(owner(desk), CONTACTS);
      expect(ids(myOrgs)).toContain(mine.org.id);
      expect(ids(myContacts)).toContain(mine.contact.id);
      const text = JSON.stringify([myOrgs, myContacts]);
      for (const marker of [theirs.org.id, theirs.contact.id, rivalMarker]) {
        expect(text).not.toContain(marker);
      }
      const searched = await list<OrganisationBody>(owner(desk), ORGS, { q: 'ATAMEKEN' });
      expect(ids(searched)).toContain(mine.org.id);
      expect(ids(searched)).not.toContain(theirs.org.id);
      expect(await list(owner(desk), CONTACTS, { q: sharedMarker })).toEqual([mine.contact]);
      expect(await list(owner(desk), CONTACTS, { partnerOrganisationId: theirs.org.id })).toEqual(
        [],
      );
      expect(await list(owner(rival), CONTACTS, { q: sharedMarker })).toEqual([theirs.contact]);
      expect(ids(await list(owner(rival), ORGS))).toEqual([theirs.org.id]);
      expect(JSON.stringify(await list(owner(rival), CONTACTS))).not.toContain(mine.contact.id);
    });

    it("afterwards the other agency's records are exactly as they were, and its audit trail shows nobody else", async () => {
      expect(await read(owner(rival), `${ORGS}/${theirs.org.id}`)).toEqual(theirsBefore.org);
      expect(await read(owner(rival), `${CONTACTS}/${theirs.contact.id}`)).toEqual(
        theirsBefore.contact,
      );
      const trail = await list<AuditEventBody>(owner(rival), '/audit-events');
      for (const event of trail) {
        expect([rival.owner.id, null]).toContain(event.actorId);
        expect(event.action).not.toMatch(/\.(updated|deleted)$/);
      }
    });
  });

  describe('Idempotency-Key', () => {
    const countNamed = async (name: string) => {
      const [row] = await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM partner_organisations WHERE tenant_id = $1 AND name = $2',
        [desk.tenantId, name],
      );
      return row.n;
    };

    it('a retry with the same key and body replays the response and creates nothing more', async () => {
      const key = `create-org-${randomUUID()}`;
      const marker = tag();
      const body = organisationBody({ name: `Idempotent GmbH ${marker}`, sectors: ['textile'] });
      const first = await call(owner(desk), 'post', ORGS, body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // Same body with keys in another order counts as the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      for (const again of [body, reordered]) {
        const retry = await call(owner(desk), 'post', ORGS, again).set('Idempotency-Key', key);
        expect(retry.status).toBe(201);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        expect(retry.body).toEqual(first.body);
        // The replay answers with the headers the first answer had.
        expect(retry.headers.location).toBe(first.headers.location);
        expect(retry.headers.etag).toBe(first.headers.etag);
      }
      expect(first.headers.location).toMatch(/^\/api\/v1\/partner-organisations\/[0-9a-f-]{36}$/);
      expect(await countNamed(body.name as string)).toBe(1);

      const reused = await call(owner(desk), 'post', ORGS, { ...body, city: 'Jena' }).set(
        'Idempotency-Key',
        key,
      );
      expectProblem(reused, 422, 'idempotency_key_reused');
      expect(await list(owner(desk), ORGS, { q: marker })).toEqual([first.body]);
    });

    it('the same key and body from another principal is a new request', async () => {
      const key = `create-org-${randomUUID()}`;
      const body = organisationBody();
      const byOwner = await call(owner(desk), 'post', ORGS, body).set('Idempotency-Key', key);
      const byOrganiser = await call(bearer(deskOrganiser.accessToken), 'post', ORGS, body).set(
        'Idempotency-Key',
        key,
      );
      expect([byOwner.status, byOrganiser.status]).toEqual([201, 201]);
      expect(byOrganiser.headers['idempotent-replayed']).toBeUndefined();
      expect(byOrganiser.body.id).not.toBe(byOwner.body.id);
      expect(await countNamed(body.name as string)).toBe(2);
    });

    it('two concurrent identical requests with the same key create exactly one organisation', async () => {
      for (let round = 0; round < 3; round++) {
        const key = `burst-${randomUUID()}`;
        const body = organisationBody();
        const responses = await Promise.all(
          [0, 1].map(() => call(owner(desk), 'post', ORGS, body).set('Idempotency-Key', key)),
        );
        const statuses = responses.map((response) => response.status).sort();
        expect([
          [201, 409],
          [201, 201],
        ]).toContainEqual(statuses);
        const created = responses.filter((response) => response.status === 201);
        for (const response of created) expect(response.body.id).toBe(created[0].body.id);
        const conflict = responses.find((response) => response.status === 409);
        if (conflict) expectProblem(conflict, 409, 'idempotency_request_in_progress');
        expect(await countNamed(body.name as string)).toBe(1);
      }
    });

    it('contacts: a replay answers the same contact, not a duplicate-email 409', async () => {
      const key = `create-contact-${randomUUID()}`;
      const marker = tag();
      const body = contactBody({ email: `idempotent.${marker}@partner.example` });
      const first = await call(owner(desk), 'post', CONTACTS, body).set('Idempotency-Key', key);
      const retry = await call(owner(desk), 'post', CONTACTS, body).set('Idempotency-Key', key);
      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(ids(await list(owner(desk), CONTACTS, { q: marker }))).toEqual([first.body.id]);
    });
  });

  describe('audit trail', () => {
    it('records created, updated and deleted organisations with before/after values', async () => {
      const name = `Uzbek Chamber of Commerce ${tag()}`;
      const organisation = await createOrganisation(t, bearer(deskAdmin.accessToken), {
        name,
        kind: 'chamber',
        country: 'uz',
        sectors: ['trade promotion'],
      });
      const path = `${ORGS}/${organisation.id}`;
      expect(
        (await call(owner(desk), 'patch', path, { city: 'Tashkent', sectors: [] })).status,
      ).toBe(200);
      expect((await call(owner(desk), 'patch', path, { city: 'Samarkand' })).status).toBe(200);
      expect((await call(owner(desk), 'delete', path)).status).toBe(204);

      const events = await auditEvents(desk, 'partner_organisation', organisation.id);
      expect(events.map((event) => event.action)).toEqual([
        'partner_organisation.deleted',
        'partner_organisation.updated',
        'partner_organisation.updated',
        'partner_organisation.created',
      ]);
      const [deleted, secondUpdate, firstUpdate, created] = events;
      expect(created).toMatchObject({
        actorType: 'user',
        actorId: deskAdmin.id,
        entityType: 'partner_organisation',
        entityId: organisation.id,
      });
      expect(created.changes).toEqual({
        name: { before: null, after: name },
        kind: { before: null, after: 'chamber' },
        country: { before: null, after: 'UZ' },
        sectors: { before: null, after: ['trade promotion'] },
      });
      expect(firstUpdate).toMatchObject({ actorId: desk.owner.id });
      expect(firstUpdate.changes).toEqual({
        city: { before: null, after: 'Tashkent' },
        sectors: { before: ['trade promotion'], after: [] },
      });
      expect(secondUpdate.changes).toEqual({ city: { before: 'Tashkent', after: 'Samarkand' } });
      expect(deleted).toMatchObject({ actorId: desk.owner.id, entityId: organisation.id });
      expect(deleted.changes).toEqual({ name: { before: name, after: null } });
    });

    it('records contacts with personal fields redacted: names, email and phone never appear', async () => {
      const organisation = await createOrganisation(t, owner(desk));
      const secret = tag();
      const person = {
        title: 'Prof. Dr.',
        firstName: `Gulnara${secret}`,
        lastName: `Abdullaeva${secret}`,
        position: `Rector${secret}`,
        email: `gulnara.${secret}@university.example.uz`,
        phone: `+998 71 ${secret}`,
        notes: `Allergic to nuts ${secret}`,
      };
      const contact = await createContact(t, bearer(deskOrganiser.accessToken), {
        ...person,
        partnerOrganisationId: organisation.id,
        preferredLanguage: 'ru',
      });
      const path = `${CONTACTS}/${contact.id}`;
      const renamed = await call(owner(desk), 'patch', path, {
        lastName: `Karimova${secret}`,
        email: `g.karimova.${secret}@university.example.uz`,
        phone: null,
        preferredLanguage: 'en',
      });
      expect(renamed.status).toBe(200);
      expect((await call(owner(desk), 'delete', path)).status).toBe(204);

      const events = await auditEvents(desk, 'contact', contact.id);
      expect(events.map((event) => event.action)).toEqual([
        'contact.deleted',
        'contact.updated',
        'contact.created',
      ]);
      const [deleted, updated, created] = events;
      expect(created).toMatchObject({ actorType: 'user', actorId: deskOrganiser.id });
      expect(created.changes).toEqual({
        partnerOrganisationId: { before: null, after: organisation.id },
        title: { before: null, after: '[redacted]' },
        firstName: { before: null, after: '[redacted]' },
        lastName: { before: null, after: '[redacted]' },
        position: { before: null, after: '[redacted]' },
        email: { before: null, after: '[redacted]' },
        phone: { before: null, after: '[redacted]' },
        notes: { before: null, after: '[redacted]' },
        preferredLanguage: { before: null, after: 'ru' },
      });
      expect(updated).toMatchObject({ actorId: desk.owner.id });
      expect(updated.changes).toEqual({
        lastName: { before: '[redacted]', after: '[redacted]' },
        email: { before: '[redacted]', after: '[redacted]' },
        phone: { before: '[redacted]', after: null },
        preferredLanguage: { before: 'ru', after: 'en' },
      });
      expect(deleted).toMatchObject({ actorId: desk.owner.id, entityId: contact.id });

      const trail = JSON.stringify(await everyAuditEvent(desk));
      expect(trail).toContain(contact.id);
      expect(trail).not.toContain(secret);
      expect(trail).not.toContain('Prof. Dr.');
    });

    it('a refused change leaves no audit event', async () => {
      const organisation = await createOrganisation(t, owner(desk));
      const path = `${ORGS}/${organisation.id}`;
      await call(owner(desk), 'patch', path, { city: 'Jena' }).set('If-Match', '"5"');
      await call(bearer(deskViewer.accessToken), 'patch', path, { city: 'Jena' });
      await call(owner(desk), 'patch', path, { country: 'XX' });
      const events = await auditEvents(desk, 'partner_organisation', organisation.id);
      expect(events.map((event) => event.action)).toEqual(['partner_organisation.created']);
    });

    it('viewers and organisers cannot read the audit trail', async () => {
      for (const staff of [deskViewer, deskOrganiser]) {
        expectProblem(
          await call(bearer(staff.accessToken), 'get', '/audit-events'),
          403,
          'forbidden',
        );
      }
    });
  });

  describe('paging', () => {
    it('pages through organisations by name while others are inserted, missing and repeating none', async () => {
      const initial = Array.from({ length: 30 }, (_, i) => `Pager ${String(10 + i * 2)} GmbH`);
      for (let i = 0; i < initial.length; i += 10) {
        await Promise.all(
          initial.slice(i, i + 10).map((name) => createOrganisation(t, owner(pager), { name })),
        );
      }
      const seen: OrganisationBody[] = [];
      const insertedBefore: string[] = [];
      const insertedAfter: string[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        round++;
        // "Pager 0x" sorts before every initial name, "Pager 9x" after them all; odd numbers
        // land between the initial names, wherever the current page is.
        const before = `Pager 0${String(round).padStart(2, '0')} GmbH`;
        const after = `Pager 9${String(round).padStart(2, '0')} GmbH`;
        const between = `Pager ${String(11 + round * 6)} GmbH`;
        const query: Body = { limit: 7, ...(cursor ? { cursor } : {}) };
        const [page] = await Promise.all([
          t.http().get(`/api/v1${ORGS}`).query(query).set(owner(pager)),
          createOrganisation(t, owner(pager), { name: before }),
          createOrganisation(t, owner(pager), { name: after }),
          createOrganisation(t, owner(pager), { name: between }),
        ]);
        insertedBefore.push(before);
        insertedAfter.push(after);
        expect(page.status).toBe(200);
        const body = page.body as PageBody<OrganisationBody>;
        expect(body.items.length).toBeLessThanOrEqual(7);
        if (body.nextCursor) expect(body.items).toHaveLength(7);
        seen.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor && round < 20);

      expect(cursor).toBeNull();
      const seenNames = names(seen);
      expect(new Set(ids(seen)).size).toBe(seen.length);
      expect(new Set(seenNames).size).toBe(seenNames.length);
      expect(seenNames).toEqual([...seenNames].sort());
      for (const name of initial) expect(seenNames).toContain(name);
      // Inserted behind the cursor: never shown once paging moved past them.
      for (const name of insertedBefore.slice(1)) expect(seenNames).not.toContain(name);
      // Inserted ahead of it before the last page was asked for: shown.
      for (const name of insertedAfter.slice(0, -1)) expect(seenNames).toContain(name);

      const everything = names(await list<OrganisationBody>(owner(pager), ORGS));
      expect(everything).toHaveLength(initial.length + 3 * round);
      expect(everything).toEqual([...everything].sort());
    });

    it('limit defaults to 50 and a cursor from the contacts listing is refused', async () => {
      const missing = 55 - (await countRows('partner_organisations', pager.tenantId));
      for (let i = 0; i < missing; i++) await createOrganisation(t, owner(pager));
      const first = await call(owner(pager), 'get', ORGS);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(50);
      const contacts = await call(
        owner(pager),
        'get',
        `${CONTACTS}?cursor=${first.body.nextCursor}`,
      );
      expectInvalid(contacts, 'cursor');
      const next = await call(owner(pager), 'get', `${ORGS}?cursor=${first.body.nextCursor}`);
      expect(next.status).toBe(200);
      expect(ids(next.body.items)).not.toContain(first.body.items[49].id);
    });
  });

  describe('clearing tags', () => {
    it('PATCH { sectors: null } clears the sectors', async () => {
      const organisation = await createOrganisation(t, owner(desk), { sectors: ['plastics'] });
      const response = await call(owner(desk), 'patch', `${ORGS}/${organisation.id}`, {
        sectors: null,
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ sectors: [], version: 2 });
    });

    it('POST with sectors: null creates an organisation without sectors', async () => {
      const response = await call(owner(desk), 'post', ORGS, organisationBody({ sectors: null }));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ sectors: [] });
    });
  });
});
