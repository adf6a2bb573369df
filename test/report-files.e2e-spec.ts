import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { PDFParse } from 'pdf-parse';
import { bufferParser, expectProblem } from './support/api.js';
import {
  addStation,
  createContact,
  createMeeting,
  createOrganisation,
  createTrip,
  moveMeeting,
  moveTrip,
  ROUTE_TO,
  tag,
  ZENTRALASIEN,
  type MeetingStatus,
  type StationBody,
  type TripBody,
} from './support/factories.js';
import { bearer, signUpAgency, type Agency } from './support/identity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A worksheet's rows as cells, the header row first. */
function rowsOf(sheet: ExcelJS.Worksheet): ExcelJS.Cell[][] {
  const rows: ExcelJS.Cell[][] = [];
  sheet.eachRow((row) => {
    const cells: ExcelJS.Cell[] = [];
    for (let column = 1; column <= sheet.columnCount; column++) cells.push(row.getCell(column));
    rows.push(cells);
  });
  return rows;
}

/** The PDF's text, line by line, and how many raster images it holds. */
async function readPdf(body: Buffer): Promise<{ lines: string[]; images: number }> {
  const parser = new PDFParse({ data: new Uint8Array(body) });
  try {
    const text = await parser.getText();
    const images = await parser.getImage({ imageThreshold: 0 });
    return {
      lines: text.text.split('\n').map((line) => line.trim()),
      images: images.pages.reduce((sum, page) => sum + page.images.length, 0),
    };
  } finally {
    await parser.destroy();
  }
}

/**
 * Both reports as files (issue 19): a PDF for the board whose text, read
 * back by a PDF parser, shows the headline figures, German and Kazakh
 * names, and charts drawn as vector bars (no images); an XLSX with a
 * worksheet per table and number cells; one CSV table. Each figure is the
 * one the JSON report gives.
 */
describe('report files', () => {
  let t: TestApp;
  let desk: Agency;
  let trip: TripBody;
  let oskemen: StationBody;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await signUpAgency(t, { tenantName: 'Thüringen International' });
    trip = await createTrip(t, desk, {
      ...ZENTRALASIEN,
      title: `Delegationsreise Zentralasien – Қазақстан ${tag()}`,
    });
    oskemen = await addStation(t, desk, trip.id, {
      city: 'Өскемен',
      country: 'KZ',
      timezone: 'Asia/Almaty',
      arrivalDate: '2023-04-23',
      departureDate: '2023-04-25',
    });
    const tashkent = await addStation(t, desk, trip.id, {
      city: 'Taschkent',
      country: 'UZ',
      timezone: 'Asia/Tashkent',
      arrivalDate: '2023-04-26',
      departureDate: '2023-04-29',
    });
    await moveTrip(t, desk, trip, ROUTE_TO.planned);
    const university = await createOrganisation(t, desk, {
      name: `Әл-Фараби атындағы Қазақ ұлттық университеті ${tag()}`,
      kind: 'university',
      country: 'KZ',
    });
    const meeting = async (
      station: StationBody,
      day: string,
      kind: string,
      steps: MeetingStatus[],
    ) =>
      moveMeeting(
        t,
        desk,
        await createMeeting(t, desk, trip.id, station.id, {
          title: `${kind} ${tag()}`,
          kind,
          startsAt: `${day}T10:00`,
          endsAt: `${day}T11:00`,
          counterparts: { organisationIds: [university.id] },
        }),
        steps,
      );
    // Four official appointments (three at Өскемен), the journey, and a cancelled seminar.
    for (const day of ['2023-04-23', '2023-04-24', '2023-04-25']) {
      await meeting(oskemen, day, 'government_talk', ['confirmed', 'held']);
    }
    await meeting(oskemen, '2023-04-25', 'travel', ['confirmed', 'held']);
    await meeting(tashkent, '2023-04-27', 'b2b', ['confirmed', 'held']);
    await meeting(tashkent, '2023-04-28', 'seminar', ['cancelled']);
    const rector = await createContact(t, desk, {
      lastName: 'Мұхамеджанова',
      partnerOrganisationId: university.id,
    });
    for (const [kind, category] of [
      ['mou', 'academic'],
      ['cooperation_agreement', 'academic'],
      ['letter_of_intent', 'business'],
    ]) {
      const created = await t
        .http()
        .post('/api/v1/agreements')
        .set(bearer(desk.owner.accessToken))
        .send({
          title: `${kind} ${tag()}`,
          tripId: trip.id,
          kind,
          category,
          signedOn: '2023-04-27',
          parties: [{ organisationId: university.id, signatoryContactIds: [rector.id] }],
        })
        .expect(201);
      for (const to of ['negotiating', 'signed']) {
        await t
          .http()
          .post(`/api/v1/agreements/${(created.body as { id: string }).id}/transitions`)
          .set(bearer(desk.owner.accessToken))
          .send({ to })
          .expect(200);
      }
    }
  });
  afterAll(() => t.close());

  const download = (path: string, query: Record<string, string | number>) =>
    t
      .http()
      .get(path)
      .query(query)
      .set(bearer(desk.owner.accessToken))
      .buffer(true)
      .parse(bufferParser)
      .expect(200);

  it('hands the board a PDF in the agency’s language: headline figures, Kazakh names, vector charts', async () => {
    const response = await download(`/api/v1/trips/${trip.id}/report`, { format: 'pdf' });
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="delegationsreise-zentralasien-[a-z0-9-]+-reisebericht-\d{4}-\d\d-\d\d\.pdf"/,
    );
    const body = response.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    // The font travels with the file, so every reader prints the same letters.
    expect(body.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(body.toString('latin1')).toContain('/FontFile2');

    const { lines, images } = await readPdf(body);
    // A long title wraps; its words are all there, Kazakh letters included.
    expect(lines.join(' ')).toContain(`Reisebericht: ${trip.title}`);
    expect(lines.join('\n')).toContain('Thüringen International · 23.–29. April 2023');
    // The headline figures, as the large numbers and in the table of key figures.
    expect(lines).toEqual(expect.arrayContaining(['4', 'Offizielle Termine', '3']));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Offizielle Termine 4',
        'Unterzeichnete Vereinbarungen 3',
        'Termine 5',
        'Stationen 2',
        'Getroffene Partnerorganisationen 1',
      ]),
    );
    // The charts: meetings per station and agreements by category, bars drawn, not pictures.
    expect(lines).toEqual(
      expect.arrayContaining(['Termine je Station', 'Өскемен 4', 'Taschkent 1']),
    );
    expect(lines).toEqual(
      expect.arrayContaining(['Vereinbarungen nach Bereich', 'Wissenschaft 2', 'Wirtschaft 1']),
    );
    expect(lines).toEqual(expect.arrayContaining(['Kasachstan 1', 'Regierungsgespräch 3']));
    expect(images).toBe(0);
  });

  it('hands the ministry an XLSX with a worksheet per table and number cells, equal to the JSON', async () => {
    const json = (
      await t
        .http()
        .get(`/api/v1/trips/${trip.id}/report`)
        .set(bearer(desk.owner.accessToken))
        .expect(200)
    ).body as {
      meetings: { officialAppointments: { count: number }; byKind: { count: number }[] };
    };
    const response = await download(`/api/v1/trips/${trip.id}/report`, { format: 'xlsx' });
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Kennzahlen',
      'Teilnehmende – Status',
      'Teilnehmende – Rolle',
      'Teilnehmende – Kategorie',
      'Teilnehmende – Organisationsart',
      'Teilnehmende – Land',
      'Termine – Station',
      'Offizielle Termine – Station',
      'Termine – Art',
      'Termine – Status',
      'Partner – Land',
      'Partner – Art',
      'Vereinbarungen – Status',
      'Vereinbarungen – Bereich',
      'Vereinbarungen – Art',
      'Unterzeichnet – Bereich',
      'Unterzeichnet – Art',
    ]);
    const table = (name: string) =>
      rowsOf(workbook.getWorksheet(name)!).map((row) => row.map((cell) => cell.value));
    expect(table('Kennzahlen')).toEqual([
      ['Merkmal', 'Anzahl'],
      ['Teilnehmende', 0],
      ['Vertretene Organisationen', 0],
      ['Stationen', 2],
      ['Termine', 5],
      ['Offizielle Termine', json.meetings.officialAppointments.count],
      ['Getroffene Partnerorganisationen', 1],
      ['Vereinbarungen', 3],
      ['Unterzeichnete Vereinbarungen', 3],
      ['Offene Nachverfolgungen', 0],
      ['Versandte Einladungen', 0],
      ['Angenommene Einladungen', 0],
      ['Abgelehnte Einladungen', 0],
      ['Versandte Nachrichten', 0],
      ['Nicht zugestellte Nachrichten', 0],
    ]);
    expect(json.meetings.officialAppointments.count).toBe(4);
    expect(table('Termine – Station')).toEqual([
      ['Merkmal', 'Anzahl'],
      ['Өскемен', 4],
      ['Taschkent', 1],
    ]);
    expect(table('Termine – Art')).toHaveLength(json.meetings.byKind.length + 1);
    // Every figure is a number cell, never text that looks like one.
    for (const sheet of workbook.worksheets) {
      for (const row of rowsOf(sheet).slice(1)) {
        expect([sheet.name, row[1].type]).toEqual([sheet.name, ExcelJS.ValueType.Number]);
      }
    }
  });

  it('writes one CSV table in the language asked for, each line named by table, code and label', async () => {
    const response = await download(`/api/v1/trips/${trip.id}/report`, {
      format: 'csv',
      lang: 'en',
    });
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/-trip-report-\d{4}-\d\d-\d\d\.csv"/);
    const rows: string[][] = parse(response.body as Buffer, { bom: true, delimiter: ',' });
    expect(rows[0]).toEqual(['Table', 'Key', 'Item', 'Count']);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['Key figures', 'officialAppointments', 'Official appointments', '4'],
        ['Meetings per station', oskemen.id, 'Өскемен', '4'],
        ['Meetings by status', 'cancelled', 'Cancelled', '1'],
        ['Agreements signed by category', 'academic', 'Academic', '2'],
        ['Counterparts by country', 'KZ', 'Kazakhstan', '1'],
      ]),
    );
  });

  it('hands out the annual report as PDF and XLSX with the year before beside each figure', async () => {
    const xlsx = await download('/api/v1/reports/annual', { year: 2023, format: 'xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Kennzahlen',
      'Reisen – Art',
      'Reisen – Status',
      'Bereiste Länder',
      'Organisationen – Art',
      'Unterzeichnet – Bereich',
      'Unterzeichnet – Art',
    ]);
    const table = (name: string) =>
      rowsOf(workbook.getWorksheet(name)!).map((row) => row.map((cell) => cell.value));
    expect(table('Kennzahlen')).toEqual([
      ['Merkmal', '2023', '2022'],
      ['Reisen und Veranstaltungen', 1, 0],
      ['Bereiste Länder', 2, 0],
      ['Teilnehmende', 0, 0],
      ['Erreichte Personen', 0, 0],
      ['Erreichte Unternehmen und Einrichtungen', 1, 0],
      ['Offizielle Termine wahrgenommen', 4, 0],
      ['Unterzeichnete Vereinbarungen', 3, 0],
    ]);
    expect(table('Bereiste Länder').slice(1)).toEqual([
      ['Kasachstan', 1, 0],
      ['Usbekistan', 1, 0],
    ]);
    expect(table('Unterzeichnet – Bereich').slice(1)).toEqual([
      ['Wissenschaft', 2, 0],
      ['Wirtschaft', 1, 0],
    ]);

    const pdf = await download('/api/v1/reports/annual', { year: 2023, format: 'pdf', lang: 'en' });
    expect(pdf.headers['content-disposition']).toMatch(
      /filename="thuringen-international-annual-report-2023-\d{4}-\d\d-\d\d\.pdf"/,
    );
    const { lines, images } = await readPdf(pdf.body as Buffer);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Annual report 2023',
        'Thüringen International · 2023',
        'Official appointments held 4 0',
        'Agreements signed 3 0',
        'Countries visited 2 0',
        'Trips by kind',
        'Delegation trip 1 0',
        '2022: 0',
      ]),
    );
    expect(images).toBe(0);
  });

  it('refuses a format or language it does not know, with a problem', async () => {
    const refused = (path: string, query: Record<string, string | number>) =>
      t.http().get(path).query(query).set(bearer(desk.owner.accessToken));
    expectProblem(
      await refused(`/api/v1/trips/${trip.id}/report`, { format: 'docx' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await refused('/api/v1/reports/annual', { year: 2023, format: 'pdf', lang: 'kk' }),
      400,
      'validation_failed',
    );
  });
});
