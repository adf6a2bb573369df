import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { slugify } from '../slug.js';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_DELIMITERS = ['semicolon', 'comma'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** A calendar day (`YYYY-MM-DD`): a date cell in XLSX, the language's date format in CSV. */
export interface Day {
  day: string;
}

/** One cell as exported; each format writes it its own way (see `csvText`, `xlsxValue`). */
export type Value = string | number | boolean | Day | null;

export interface Table {
  headers: string[];
  rows: Value[][];
}

/** One worksheet of an XLSX file. */
export interface Sheet {
  name: string;
  table: Table;
}

/** The languages exports are written in (the agency's `Locale`s). */
export type SpreadsheetLanguage = 'de' | 'en';

/** The words a spreadsheet needs in one language, whatever its columns. */
export interface SpreadsheetWords {
  yes: string;
  no: string;
  /** The CSV separator a spreadsheet set to this language splits on when the file is double-clicked. */
  csvDelimiter: CsvDelimiter;
  /** A calendar day (`YYYY-MM-DD`) as CSV text. */
  day(isoDay: string): string;
  /** The same day's display format in XLSX (an Excel number format). */
  dayFormat: string;
}

export const SPREADSHEET_WORDS: Record<SpreadsheetLanguage, SpreadsheetWords> = {
  de: {
    yes: 'Ja',
    no: 'Nein',
    csvDelimiter: 'semicolon',
    day: (isoDay) => isoDay.split('-').reverse().join('.'),
    dayFormat: 'dd.mm.yyyy',
  },
  en: {
    yes: 'Yes',
    no: 'No',
    csvDelimiter: 'comma',
    day: (isoDay) => isoDay,
    dayFormat: 'yyyy-mm-dd',
  },
};

/** A text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'` (OWASP). */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  /** The `Content-Disposition` header: an attachment named after what it exports (see `attachment`). */
  disposition: string;
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const CSV_SEPARATORS: Record<CsvDelimiter, string> = { semicolon: ';', comma: ',' };

/**
 * `attachment; filename="<slug>-<suffix>"`, plus a UTF-8 `filename*`
 * (RFC 6266) keeping the title's own letters when the ASCII slug had to
 * drop them (`geschäftsreise-südkorea-…` beside `geschaftsreise-sudkorea-…`).
 */
export function attachment(title: string, suffix: string): string {
  const slug = slugify(title);
  // slugify's fallback for a name without ASCII letters is `agency` (made for tenants):
  // such a title's file goes by the suffix alone.
  const ascii = slug === 'agency' && !/agency/i.test(title) ? suffix : `${slug}-${suffix}`;
  const letters = Array.from(
    title
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, ''),
  )
    .slice(0, 60)
    .join('')
    .replace(/-+$/, '');
  const unicode = `${letters}-${suffix}`;
  if (!letters || unicode === ascii) return `attachment; filename="${ascii}"`;
  // RFC 5987 attr-char: encodeURIComponent leaves ' ( ) * as they are, which it does not allow.
  const encoded = encodeURIComponent(unicode).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The text a CSV cell holds; formula-looking text neutralised, since a CSV cell is typed by whoever opens it. */
function csvText(value: Value, words: SpreadsheetWords): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return neutraliseFormula(value);
  return words.day(value.day);
}

/** CRLF line ends (RFC 4180, and what Excel writes), a BOM so Excel reads UTF-8. */
export function toCsv(table: Table, words: SpreadsheetWords, delimiter: CsvDelimiter): Buffer {
  return Buffer.from(
    stringify(
      [table.headers, ...table.rows.map((row) => row.map((value) => csvText(value, words)))],
      { bom: true, delimiter: CSV_SEPARATORS[delimiter], record_delimiter: 'windows' },
    ),
    'utf8',
  );
}

/** Days as dates at UTC midnight, which exceljs writes as the whole day's serial number. */
function xlsxValue(value: Value): ExcelJS.CellValue {
  return value !== null && typeof value === 'object' ? new Date(`${value.day}T00:00:00Z`) : value;
}

/** Roughly the characters a cell shows, to size its column. */
function shownLength(value: Value, words: SpreadsheetWords): number {
  if (value === null) return 0;
  // Shown as TRUE/FALSE in the spreadsheet's own language (WAHR/FALSCH in German).
  if (typeof value === 'boolean') return 'FALSCH'.length;
  if (typeof value === 'string')
    return Math.max(...value.split(/\r?\n/).map((line) => line.length));
  if (typeof value === 'number') return String(value).length;
  return words.dayFormat.length;
}

/** Column widths in characters: the longest cell plus room for the filter button, within bounds. */
const COLUMN_WIDTH = { min: 8, max: 50, padding: 3 };

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], and no two alike (case aside). */
function sheetName(name: string, fallback: string, taken: Set<string>): string {
  const base = name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || fallback;
  let unique = base;
  for (let n = 2; taken.has(unique.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    unique = `${base.slice(0, 31 - suffix.length)}${suffix}`;
  }
  taken.add(unique.toLowerCase());
  return unique;
}

/**
 * Text goes in as text cells, which spreadsheets never evaluate, so it is
 * written as entered (an apostrophe would show: `'+49 3641 65-0`); days,
 * yes/no and numbers as typed cells, so they sort and filter as such.
 * One worksheet per sheet, in order; a name left empty by the rules for
 * sheet names becomes `fallbackName`.
 */
export async function toXlsx(
  sheets: readonly Sheet[],
  words: SpreadsheetWords,
  fallbackName = 'Sheet',
): Promise<Buffer> {
  // A workbook without a worksheet does not open.
  if (sheets.length === 0) throw new Error('toXlsx needs at least one sheet');
  // Loaded on the first XLSX asked for: exceljs and its zip libraries weigh ~7 MB of
  // memory and ~0.3 s of start-up that most processes never use (issue 21).
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Delegation Desk';
  const taken = new Set<string>();
  for (const { name, table } of sheets) {
    addSheet(workbook.addWorksheet(sheetName(name, fallbackName, taken)), table, words);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A bold, frozen header row with filters, columns sized to their content, days in the language's format. */
function addSheet(sheet: ExcelJS.Worksheet, table: Table, words: SpreadsheetWords): void {
  sheet.addRow(table.headers);
  sheet.addRows(table.rows.map((row) => row.map(xlsxValue)));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: table.rows.length + 1, column: table.headers.length },
  };
  table.headers.forEach((header, index) => {
    const values = table.rows.map((row) => row[index]);
    const column = sheet.getColumn(index + 1);
    const longest = values.reduce<number>(
      (widest, value) => Math.max(widest, shownLength(value, words)),
      header.length,
    );
    column.width = Math.min(
      COLUMN_WIDTH.max,
      Math.max(COLUMN_WIDTH.min, longest + COLUMN_WIDTH.padding),
    );
    values.forEach((value, row) => {
      if (value !== null && typeof value === 'object') {
        sheet.getCell(row + 2, index + 1).numFmt = words.dayFormat;
      }
    });
  });
}
