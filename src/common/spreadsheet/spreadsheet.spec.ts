import ExcelJS from 'exceljs';
import { attachment, neutraliseFormula, SPREADSHEET_WORDS, toCsv, toXlsx } from './spreadsheet.js';

describe('attachment', () => {
  it('names an ASCII title by its slug alone', () => {
    expect(
      attachment('Delegationsreise Zentralasien: Usbekistan/Kasachstan', 'participants.csv'),
    ).toBe(
      'attachment; filename="delegationsreise-zentralasien-usbekistan-kasachstan-participants.csv"',
    );
  });

  it('adds a UTF-8 filename* that keeps umlauts and ß', () => {
    expect(attachment('Geschäftsreise Südkorea: Straßenbau', 'participants.xlsx')).toBe(
      'attachment; filename="geschaftsreise-sudkorea-strassenbau-participants.xlsx"; ' +
        "filename*=UTF-8''gesch%C3%A4ftsreise-s%C3%BCdkorea-stra%C3%9Fenbau-participants.xlsx",
    );
  });

  it('names a title in another script by its own letters, and the ASCII name by the suffix alone', () => {
    expect(attachment('Алматы Форум', 'participants.csv')).toBe(
      'attachment; filename="participants.csv"; ' +
        "filename*=UTF-8''%D0%B0%D0%BB%D0%BC%D0%B0%D1%82%D1%8B-%D1%84%D0%BE%D1%80%D1%83%D0%BC-participants.csv",
    );
    expect(attachment('Agency', 'participants.csv')).toBe(
      'attachment; filename="agency-participants.csv"',
    );
  });

  it('leaves nothing in filename* that RFC 5987 forbids, and adds none for punctuation alone', () => {
    const header = attachment("Kyiv's Tech (Week) – Україна*", 'participants.csv');
    const encoded = header.split("filename*=UTF-8''")[1];
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(encoded)).toBe('kyiv-s-tech-week-україна-participants.csv');
    expect(attachment('Tech Week – Berlin', 'participants.csv')).toBe(
      'attachment; filename="tech-week-berlin-participants.csv"',
    );
  });
});

describe('neutraliseFormula', () => {
  it.each(['=1+1', '+49 361', '-2', '@SUM(A1)', '\tx', '\rx'])(
    'prefixes %j with an apostrophe',
    (text) => {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    },
  );

  it('leaves other text alone', () => {
    expect(neutraliseFormula('Vogel-Meier')).toBe('Vogel-Meier');
  });
});

describe('toCsv', () => {
  it('writes a BOM, CRLF line ends, the delimiter asked for and the language’s words', () => {
    const table = {
      headers: ['Name', 'Visum', 'Pass gültig bis', 'Platz', 'Notiz'],
      rows: [['=HYPERLINK("x")', true, { day: '2022-09-25' }, 3, null]],
    };
    expect(toCsv(table, SPREADSHEET_WORDS.de, 'semicolon').toString('utf8')).toBe(
      '\uFEFFName;Visum;Pass gültig bis;Platz;Notiz\r\n' +
        '"\'=HYPERLINK(""x"")";Ja;25.09.2022;3;\r\n',
    );
    expect(toCsv(table, SPREADSHEET_WORDS.en, 'comma').toString('utf8')).toBe(
      '\uFEFFName,Visum,Pass gültig bis,Platz,Notiz\r\n' +
        '"\'=HYPERLINK(""x"")",Yes,2022-09-25,3,\r\n',
    );
  });
});

describe('toXlsx', () => {
  async function read(body: Buffer): Promise<ExcelJS.Workbook> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    return workbook;
  }

  it('writes one worksheet per sheet, in order, with typed cells', async () => {
    const workbook = await read(
      await toXlsx(
        [
          {
            name: 'Agreements',
            table: {
              headers: ['Title', 'Signed on', 'Pages', 'Binding'],
              rows: [
                ['=1+1', { day: '2022-09-25' }, 12, true],
                ['MoU', null, 3, false],
              ],
            },
          },
          { name: 'Signatories', table: { headers: ['Name'], rows: [['Vogel-Meier']] } },
        ],
        SPREADSHEET_WORDS.de,
      ),
    );
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Agreements', 'Signatories']);

    const [agreements, signatories] = workbook.worksheets;
    expect(agreements.getRow(1).font?.bold).toBe(true);
    expect(agreements.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(agreements.autoFilter).toBeDefined();
    const title = agreements.getCell(2, 1);
    expect(title.type).toBe(ExcelJS.ValueType.String);
    expect(title.value).toBe('=1+1');
    const signed = agreements.getCell(2, 2);
    expect(signed.type).toBe(ExcelJS.ValueType.Date);
    expect(signed.value).toEqual(new Date('2022-09-25T00:00:00Z'));
    expect(signed.numFmt).toBe('dd.mm.yyyy');
    expect(agreements.getCell(3, 2).type).toBe(ExcelJS.ValueType.Null);
    const pages = agreements.getCell(2, 3);
    expect(pages.type).toBe(ExcelJS.ValueType.Number);
    expect(pages.value).toBe(12);
    expect(agreements.getCell(3, 4).type).toBe(ExcelJS.ValueType.Boolean);
    expect(agreements.getColumn(1).width).toBe(8);

    expect(signatories.getRow(1).font?.bold).toBe(true);
    expect(signatories.getCell(2, 1).value).toBe('Vogel-Meier');
  });

  it('names sheets as spreadsheets allow: 31 characters, none of : \\ / ? * [ ], no two alike', async () => {
    const table = { headers: ['A'], rows: [] };
    const workbook = await read(
      await toXlsx(
        [
          { name: 'Usbekistan/Kasachstan: Tag [1]?', table },
          { name: 'Delegationsreise Zentralasien 2024 – Teil 1', table },
          { name: 'DELEGATIONSREISE ZENTRALASIEN 2024 – Teil 2', table },
          { name: '', table },
        ],
        SPREADSHEET_WORDS.en,
        'Participants',
      ),
    );
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Usbekistan Kasachstan  Tag  1  ',
      'Delegationsreise Zentralasien 2',
      'DELEGATIONSREISE ZENTRALASI (2)',
      'Participants',
    ]);
  });
});
