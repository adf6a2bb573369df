import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { bufferParser, expectProblem, type FieldErrorBody, type Headers } from './support/api.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { GERMAN_HEADERS } from './support/delegation-list.js';
import {
  addParticipant,
  createOrganisation,
  KASACHSTAN,
  PASSPORT,
  recordPassport,
  tripIn,
} from './support/factories.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

interface TripBody {
  id: string;
  title: string;
}

/** Columns by position: the same in every language. */
const LAST_NAME = GERMAN_HEADERS.indexOf('Nachname');
const PHONE = GERMAN_HEADERS.indexOf('Telefon');
const ARRIVAL_COLUMN = GERMAN_HEADERS.indexOf('Anreise');

const ENGLISH_HEADERS = [
  'Title',
  'First name',
  'Last name',
  'Organisation',
  'Position',
  'Email',
  'Phone',
  'Role',
  'Category',
  'Status',
  'Waitlist position',
  'Nationality',
  'Passport issued by',
  'Passport expires',
  'Passport expiry warning',
  'Visa required',
  'Visa status',
  'Dietary needs',
  'Accessibility needs',
  'Arrival',
  'Departure',
];

/** KASACHSTAN (ends 2 Oct 2022: passports must last until 2 Apr 2023) with two seats. */
const TWO_SEATS = { ...KASACHSTAN, capacity: 2 };

/** Two lines, a semicolon and a quote: the CSV must quote it and keep it whole. */
const DIETARY = 'vegetarisch; keine Nüsse\n„bitte ohne Koriander“ "streng"';
const NAME_INJECTION = "=cmd|' /C calc'!A0";
const ARRIVAL = '+1 Tag: LH 1234, 24.09. 18:30';
const ORGANISATION = 'Thüringisches Institut für Textil e.V.';
const LONG_NEEDS = 'Rollstuhl, ebenerdiges Zimmer und Transfer mit Rampe. '.repeat(4).trim();

/** Parsed as Excel reads the file: BOM stripped, the given separator. */
function readCsv(body: Buffer, delimiter: ';' | ','): string[][] {
  return parse(body, { bom: true, delimiter });
}

async function readXlsx(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const cells: ExcelJS.Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const rowCells: ExcelJS.Cell[] = [];
    for (let column = 1; column <= sheet.columnCount; column++) rowCells.push(row.getCell(column));
    cells.push(rowCells);
  });
  return { sheet, cells };
}

/**
 * The delegation list as the people who open it need it, through HTTP
 * against real PostgreSQL: headers and values in the agency's language (or
 * `lang`), CSV separated the way a German or English Excel splits it on a
 * double-click, CRLF line ends, dates as dates; XLSX with typed cells,
 * filters and sized columns; formula-looking text neutralised in both.
 */
describe('delegation list exports for the people who open them', () => {
  let t: TestApp;
  let german: Agency;
  let english: Agency;
  let germanTrip: TripBody;
  let englishTrip: TripBody;
  let umlautTrip: TripBody;

  const owner = (agency: Agency): Headers => bearer(agency.owner.accessToken);
  const call = (headers: Headers, method: 'get' | 'post' | 'put' | 'patch', path: string) =>
    t.http()[method](`/api/v1${path}`).set(headers);

  /**
   * The same three people on a trip of `agency`: the delegation lead with a
   * passport expiring too early and a visa to apply for, a member whose name
   * looks like a formula, and a waitlisted member without passport.
   */
  async function fillTrip(agency: Agency, trip: TripBody) {
    const organisation = await createOrganisation(t, agency, {
      name: ORGANISATION,
      kind: 'research_institute',
      country: 'DE',
      city: 'Rudolstadt',
    });
    const lead = await addParticipant(t, agency, trip.id, {
      role: 'delegation_lead',
      category: 'science',
      visaRequired: true,
      visaStatus: 'to_apply',
      dietaryNeeds: DIETARY,
      accessibilityNeeds: LONG_NEEDS,
      arrival: ARRIVAL,
      departure: 'TK 351, 02.10. 07:05',
      contact: {
        title: 'Prof. Dr.',
        firstName: 'Birgit',
        lastName: 'Öztürk-Lang',
        email: `birgit.oeztuerk.${trip.id.slice(0, 8)}@titk.example`,
        position: 'Geschäftsführerin',
        phone: '+49 3672 379-0',
        partnerOrganisationId: organisation.id,
      },
    });
    await recordPassport(t, agency, lead, { ...PASSPORT, expiresOn: '2023-03-01' });
    const mallory = await addParticipant(t, agency, trip.id, {
      contact: {
        firstName: 'Mallory',
        lastName: NAME_INJECTION,
        email: `mallory.${trip.id.slice(0, 8)}@evil.example`,
      },
    });
    await recordPassport(t, agency, mallory, { ...PASSPORT, expiresOn: '2030-01-01' });
    const waiting = await addParticipant(t, agency, trip.id, {
      category: 'politics',
      contact: {
        firstName: 'Ole',
        lastName: 'Nilsson',
        email: `ole.nilsson.${trip.id.slice(0, 8)}@example.se`,
      },
    });
    expect([lead.status, mallory.status, waiting.status]).toEqual([
      'confirmed',
      'confirmed',
      'waitlisted',
    ]);
  }

  async function exportFile(agency: Agency, tripId: string, query: Record<string, string>) {
    const response = await t
      .http()
      .get(`/api/v1/trips/${tripId}/participants/export`)
      .query(query)
      .set(owner(agency))
      .buffer(true)
      .parse(bufferParser);
    return { response, body: response.body as Buffer };
  }

  async function exportOk(agency: Agency, tripId: string, query: Record<string, string>) {
    const { response, body } = await exportFile(agency, tripId, query);
    expect(response.status).toBe(200);
    return body;
  }

  beforeAll(async () => {
    t = await startTestApp();
    [german, english] = await Promise.all([
      signUpAgency(t, { tenantName: 'Thüringen International', name: 'Katrin Weber' }),
      signUpAgency(t, { tenantName: 'Scotland Trade Missions', name: 'Fiona Campbell' }),
    ]);
    const switched = await call(owner(english), 'patch', '/tenant').send({ defaultLocale: 'en' });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ defaultLocale: 'en' });
    [germanTrip, englishTrip, umlautTrip] = await Promise.all([
      tripIn(t, german, 'registration_open', TWO_SEATS),
      tripIn(t, english, 'registration_open', { ...TWO_SEATS, title: 'Trade Mission Kazakhstan' }),
      tripIn(t, german, 'registration_open', { ...TWO_SEATS, title: 'Geschäftsreise Südkorea' }),
    ]);
    await fillTrip(german, germanTrip);
    await fillTrip(english, englishTrip);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('CSV', () => {
    it("a German agency's list: semicolons, CRLF line ends, German headers, words and dates", async () => {
      const body = await exportOk(german, germanTrip.id, { format: 'csv' });
      expect(body.subarray(0, 3)).toEqual(BOM);
      const raw = body.subarray(3).toString('utf8');
      // Every record ends in CRLF; the only bare LF is the one inside the quoted two-line cell.
      expect(raw.endsWith('\r\n')).toBe(true);
      expect(raw.split('\r\n')).toHaveLength(5);
      expect(raw.match(/(?<!\r)\n/g)).toHaveLength(1);
      expect(raw.split('\r\n')[0]).toBe(GERMAN_HEADERS.join(';'));

      const rows = readCsv(body, ';');
      expect(rows[0]).toEqual(GERMAN_HEADERS);
      expect(rows).toHaveLength(4);
      expect(rows[1]).toEqual([
        'Prof. Dr.',
        'Birgit',
        'Öztürk-Lang',
        ORGANISATION,
        'Geschäftsführerin',
        expect.stringMatching(/^birgit\.oeztuerk\..+@titk\.example$/),
        "'+49 3672 379-0",
        'Delegationsleitung',
        'Wissenschaft',
        'Bestätigt',
        '',
        'Deutschland',
        'Deutschland',
        '01.03.2023',
        'Ja',
        'Ja',
        'Visum beantragen',
        DIETARY,
        LONG_NEEDS,
        `'${ARRIVAL}`,
        'TK 351, 02.10. 07:05',
      ]);
      const column = (name: string) => GERMAN_HEADERS.indexOf(name);
      const pick = (row: string[]) =>
        [
          'Nachname',
          'Rolle',
          'Kategorie',
          'Status',
          'Wartelistenplatz',
          'Pass gültig bis',
          'Pass läuft zu früh ab',
          'Visum erforderlich',
          'Visumstatus',
        ].map((name) => row[column(name)]);
      expect(rows.slice(2).map(pick)).toEqual([
        [
          `'${NAME_INJECTION}`,
          'Delegationsmitglied',
          'Wirtschaft',
          'Bestätigt',
          '',
          '01.01.2030',
          'Nein',
          'Nein',
          'Nicht erforderlich',
        ],
        [
          'Nilsson',
          'Delegationsmitglied',
          'Politik',
          'Warteliste',
          '1',
          '',
          '',
          'Nein',
          'Nicht erforderlich',
        ],
      ]);
    });

    it('delimiter=comma: the same German list, separated by commas', async () => {
      const semicolons = readCsv(await exportOk(german, germanTrip.id, { format: 'csv' }), ';');
      const body = await exportOk(german, germanTrip.id, { format: 'csv', delimiter: 'comma' });
      const raw = body.subarray(3).toString('utf8');
      expect(raw.split('\r\n')[0]).toBe(GERMAN_HEADERS.join(','));
      expect(readCsv(body, ',')).toEqual(semicolons);
    });

    it('lang=en: English headers and words, ISO dates, commas by default', async () => {
      const body = await exportOk(german, germanTrip.id, { format: 'csv', lang: 'en' });
      const raw = body.subarray(3).toString('utf8');
      expect(raw.split('\r\n')[0]).toBe(ENGLISH_HEADERS.join(','));
      expect(raw.endsWith('\r\n')).toBe(true);
      const rows = readCsv(body, ',');
      expect(rows[0]).toEqual(ENGLISH_HEADERS);
      const column = (name: string) => ENGLISH_HEADERS.indexOf(name);
      const pick = (row: string[]) =>
        [
          'Role',
          'Category',
          'Status',
          'Waitlist position',
          'Nationality',
          'Passport expires',
          'Passport expiry warning',
          'Visa required',
          'Visa status',
        ].map((name) => row[column(name)]);
      expect(rows.slice(1).map(pick)).toEqual([
        [
          'Delegation lead',
          'Science',
          'Confirmed',
          '',
          'Germany',
          '2023-03-01',
          'Yes',
          'Yes',
          'To apply for',
        ],
        ['Member', 'Business', 'Confirmed', '', 'Germany', '2030-01-01', 'No', 'No', 'Not needed'],
        ['Member', 'Politics', 'Waitlisted', '1', '', '', '', 'No', 'Not needed'],
      ]);
    });

    it("an English agency's list is in English by default; lang=de and delimiter override it", async () => {
      const englishRows = readCsv(await exportOk(english, englishTrip.id, { format: 'csv' }), ',');
      expect(englishRows[0]).toEqual(ENGLISH_HEADERS);
      expect(englishRows[1][ENGLISH_HEADERS.indexOf('Passport expires')]).toBe('2023-03-01');

      const semicolons = await exportOk(english, englishTrip.id, {
        format: 'csv',
        delimiter: 'semicolon',
      });
      expect(readCsv(semicolons, ';')).toEqual(englishRows);

      const germanRows = readCsv(
        await exportOk(english, englishTrip.id, { format: 'csv', lang: 'de' }),
        ';',
      );
      expect(germanRows[0]).toEqual(GERMAN_HEADERS);
      expect(germanRows[1][GERMAN_HEADERS.indexOf('Rolle')]).toBe('Delegationsleitung');
      expect(germanRows[1][GERMAN_HEADERS.indexOf('Pass gültig bis')]).toBe('01.03.2023');
    });

    it('every cell a spreadsheet would run as a formula starts with an apostrophe, whatever the language and separator', async () => {
      for (const [query, delimiter] of [
        [{ format: 'csv' }, ';'],
        [{ format: 'csv', lang: 'en' }, ','],
        [{ format: 'csv', delimiter: 'comma' }, ','],
      ] as const) {
        const rows = readCsv(await exportOk(german, germanTrip.id, query), delimiter);
        expect(rows[2][LAST_NAME]).toBe(`'${NAME_INJECTION}`);
        expect(rows[1][PHONE]).toBe("'+49 3672 379-0");
        expect(rows[1][ARRIVAL_COLUMN]).toBe(`'${ARRIVAL}`);
        for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    });
  });

  describe('XLSX', () => {
    it('German headers and words; passport expiry a date cell shown dd.mm.yyyy; yes/no as booleans; the waitlist position a number', async () => {
      const { sheet, cells } = await readXlsx(
        await exportOk(german, germanTrip.id, { format: 'xlsx' }),
      );
      expect(cells[0].map((cell) => cell.value)).toEqual(GERMAN_HEADERS);
      expect(cells).toHaveLength(4);
      const cell = (row: number, name: string) => cells[row][GERMAN_HEADERS.indexOf(name)];

      expect(cell(1, 'Rolle').value).toBe('Delegationsleitung');
      expect(cell(1, 'Status').value).toBe('Bestätigt');
      expect(cell(1, 'Visumstatus').value).toBe('Visum beantragen');
      expect(cell(1, 'Kategorie').value).toBe('Wissenschaft');
      expect(cell(1, 'Staatsangehörigkeit').value).toBe('Deutschland');
      expect(cell(3, 'Status').value).toBe('Warteliste');

      const expires = cell(1, 'Pass gültig bis');
      expect(expires.type).toBe(ExcelJS.ValueType.Date);
      expect(expires.value).toBeInstanceOf(Date);
      expect((expires.value as Date).toISOString()).toBe('2023-03-01T00:00:00.000Z');
      expect(expires.numFmt).toBe('dd.mm.yyyy');
      expect((cell(2, 'Pass gültig bis').value as Date).toISOString()).toBe(
        '2030-01-01T00:00:00.000Z',
      );
      // No passport: an empty cell, not a date.
      expect(cell(3, 'Pass gültig bis').type).toBe(ExcelJS.ValueType.Null);

      for (const [row, visa, warning] of [
        [1, true, true],
        [2, false, false],
      ] as const) {
        expect(cell(row, 'Visum erforderlich').type).toBe(ExcelJS.ValueType.Boolean);
        expect(cell(row, 'Visum erforderlich').value).toBe(visa);
        expect(cell(row, 'Pass läuft zu früh ab').type).toBe(ExcelJS.ValueType.Boolean);
        expect(cell(row, 'Pass läuft zu früh ab').value).toBe(warning);
      }
      expect(cell(3, 'Pass läuft zu früh ab').type).toBe(ExcelJS.ValueType.Null);

      expect(cell(3, 'Wartelistenplatz').type).toBe(ExcelJS.ValueType.Number);
      expect(cell(3, 'Wartelistenplatz').value).toBe(1);
      // Arrival and departure are free text (flight, time), kept as entered.
      expect(cell(1, 'Anreise').type).toBe(ExcelJS.ValueType.String);
      expect(cell(1, 'Anreise').value).toBe(ARRIVAL);
      expect(cell(1, 'Ernährungshinweise').value).toBe(DIETARY);
      expect(sheet.name).toBe(KASACHSTAN.title.slice(0, 31));
    });

    it('lang=en: English headers and words, dates shown yyyy-mm-dd', async () => {
      const { cells } = await readXlsx(
        await exportOk(german, germanTrip.id, { format: 'xlsx', lang: 'en' }),
      );
      expect(cells[0].map((cell) => cell.value)).toEqual(ENGLISH_HEADERS);
      const cell = (row: number, name: string) => cells[row][ENGLISH_HEADERS.indexOf(name)];
      expect(cell(1, 'Role').value).toBe('Delegation lead');
      expect(cell(1, 'Visa status').value).toBe('To apply for');
      expect(cell(3, 'Status').value).toBe('Waitlisted');
      expect(cell(1, 'Passport expires').numFmt).toBe('yyyy-mm-dd');
      expect((cell(1, 'Passport expires').value as Date).toISOString()).toBe(
        '2023-03-01T00:00:00.000Z',
      );
      expect(cell(1, 'Visa required').value).toBe(true);
    });

    it("an English agency's XLSX is in English unless lang=de", async () => {
      const own = await readXlsx(await exportOk(english, englishTrip.id, { format: 'xlsx' }));
      expect(own.cells[0].map((cell) => cell.value)).toEqual(ENGLISH_HEADERS);
      const asked = await readXlsx(
        await exportOk(english, englishTrip.id, { format: 'xlsx', lang: 'de' }),
      );
      expect(asked.cells[0].map((cell) => cell.value)).toEqual(GERMAN_HEADERS);
      expect(asked.cells[1][GERMAN_HEADERS.indexOf('Status')].value).toBe('Bestätigt');
    });

    it('a filter on the header row over the whole list, the header frozen, columns sized to their content within 8 to 50 characters', async () => {
      const { sheet, cells } = await readXlsx(
        await exportOk(german, germanTrip.id, { format: 'xlsx' }),
      );
      // 21 columns (A to U), header plus three people.
      expect(sheet.autoFilter).toBe('A1:U4');
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(cells[0][0].font?.bold).toBe(true);
      const width = (name: string) => sheet.getColumn(GERMAN_HEADERS.indexOf(name) + 1).width ?? 0;
      for (const name of GERMAN_HEADERS) {
        expect(width(name)).toBeGreaterThanOrEqual(8);
        expect(width(name)).toBeLessThanOrEqual(50);
        // At least as wide as the header, unless that is beyond the cap.
        expect(width(name)).toBeGreaterThanOrEqual(Math.min(name.length, 50));
      }
      // Sized by content: the long organisation name widens its column, the long needs hit the cap.
      expect(width('Organisation')).toBeGreaterThanOrEqual(ORGANISATION.length);
      expect(width('Organisation')).toBeLessThan(50);
      expect(LONG_NEEDS.length).toBeGreaterThan(50);
      expect(width('Barrierefreiheit')).toBe(50);
      expect(width('Titel')).toBeLessThan(width('E-Mail'));
    });

    it('an empty list still has its filter on the header row', async () => {
      const { sheet, cells } = await readXlsx(
        await exportOk(german, umlautTrip.id, { format: 'xlsx' }),
      );
      expect(cells).toHaveLength(1);
      expect(sheet.autoFilter).toBe('A1:U1');
    });

    it('text that looks like a formula is a text cell as entered, never a formula', async () => {
      for (const lang of ['de', 'en']) {
        const { cells } = await readXlsx(
          await exportOk(german, germanTrip.id, { format: 'xlsx', lang }),
        );
        for (const row of cells) {
          for (const cell of row) expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        }
        expect(cells[2][LAST_NAME].type).toBe(ExcelJS.ValueType.String);
        expect(cells[2][LAST_NAME].value).toBe(NAME_INJECTION);
        expect(cells[1][PHONE].value).toBe('+49 3672 379-0');
      }
    });
  });

  describe('file name and parameters', () => {
    it('a title with umlauts: an ASCII file name plus a UTF-8 filename* keeping them', async () => {
      for (const format of ['csv', 'xlsx']) {
        const { response } = await exportFile(german, umlautTrip.id, { format });
        expect(response.status).toBe(200);
        expect(response.headers['content-disposition']).toBe(
          `attachment; filename="geschaftsreise-sudkorea-participants.${format}"; ` +
            `filename*=UTF-8''gesch%C3%A4ftsreise-s%C3%BCdkorea-participants.${format}`,
        );
      }
      const { response } = await exportFile(german, germanTrip.id, { format: 'csv' });
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="markterkundungsreise-kasachstan-und-usbekistan-participants.csv"',
      );
    });

    /** What the 400 tells the caller to send instead. */
    const ALLOWED: Record<string, RegExp> = {
      delimiter: /semicolon, comma/,
      lang: /de, en/,
    };

    it.each([
      ['a tab delimiter', { format: 'csv', delimiter: 'tab' }, ['delimiter']],
      ['a literal semicolon as delimiter', { format: 'csv', delimiter: ';' }, ['delimiter']],
      ['French', { format: 'csv', lang: 'fr' }, ['lang']],
      ['an upper-case language', { format: 'xlsx', lang: 'DE' }, ['lang']],
      ['both wrong', { format: 'csv', lang: 'de-DE', delimiter: 'pipe' }, ['delimiter', 'lang']],
    ])(
      '%s is 400 problem+json naming the field and its allowed values',
      async (_label, query, fields) => {
        const response = await t
          .http()
          .get(`/api/v1/trips/${germanTrip.id}/participants/export`)
          .query(query)
          .set(owner(german));
        expectProblem(response, 400, 'validation_failed');
        const errors = response.body.errors as FieldErrorBody[];
        expect([...new Set(errors.map((error) => error.field))].sort()).toEqual(fields);
        for (const error of errors) expect(error.message).toMatch(ALLOWED[error.field]);
      },
    );
  });
});
