import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  attachment,
  EXPORT_CONTENT_TYPES,
  SPREADSHEET_WORDS,
  toCsv,
  toXlsx,
  type CsvDelimiter,
  type ExportFile,
} from '../../common/spreadsheet/spreadsheet.js';
import type { ReportDocument, ReportRow, ReportTable } from './report-document.js';
import { REPORT_WORDS } from './report-words.js';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type ReportFileFormat = Exclude<ReportFormat, 'json'>;

/**
 * One CSV table for the whole report: a line per figure, named by its table,
 * its code (`key`, as in the JSON) and its label, then the value columns.
 */
function csv(document: ReportDocument, delimiter: CsvDelimiter | undefined): Buffer {
  const words = REPORT_WORDS[document.locale];
  const spreadsheet = SPREADSHEET_WORDS[document.locale];
  return toCsv(
    {
      headers: [words.table, words.key, words.item, ...document.columns],
      rows: document.tables.flatMap((table) =>
        table.rows.map((row) => [table.title, row.key, row.label, ...row.values]),
      ),
    },
    spreadsheet,
    delimiter ?? spreadsheet.csvDelimiter,
  );
}

/** One worksheet per table, its figures as number cells. */
function xlsx(document: ReportDocument): Promise<Buffer> {
  const words = REPORT_WORDS[document.locale];
  return toXlsx(
    document.tables.map((table) => ({
      name: words.sheets[table.name],
      table: {
        headers: [words.item, ...document.columns],
        rows: table.rows.map((row) => [row.label, ...row.values]),
      },
    })),
    SPREADSHEET_WORDS[document.locale],
  );
}

const require = createRequire(import.meta.url);

/** DejaVu Sans: Latin with German letters, and Cyrillic with Kazakh's (ә ғ қ ң ө ұ ү һ і). */
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts() {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

const PAGE = { margin: 50, width: 595.28, height: 841.89 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const COLOURS = { text: '#1f2933', muted: '#52606d', rule: '#cbd2d9', series: ['', '#9aa5b1'] };
const DEFAULT_ACCENT = '#1d4ed8';

/**
 * The board's PDF (A4): title, four large figures, the charts as vector
 * bars, then the tables (charts and tables without rows left out). Text in DejaVu Sans, embedded as a
 * subset, so names in German and Kazakh print and can be searched.
 */
async function pdf(document: ReportDocument, accentColor: string | null): Promise<Buffer> {
  // Loaded on the first PDF asked for: pdfkit and fontkit weigh ~6 MB of memory and
  // ~0.25 s of start-up that most processes never use (issue 21).
  const { default: PDFDocument } = await import('pdfkit');
  const { regular, bold } = loadFonts();
  const accent = accentColor ?? DEFAULT_ACCENT;
  const number = new Intl.NumberFormat(document.locale === 'de' ? 'de-DE' : 'en-GB');
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    lang: document.locale,
    displayTitle: true,
    info: { Title: document.title, Author: 'Delegation Desk' },
  });
  doc.registerFont('Sans', regular);
  doc.registerFont('Sans-Bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  /** A new page when `height` points do not fit on this one. */
  const room = (height: number) => {
    if (doc.y + height > PAGE.height - PAGE.margin) doc.addPage();
  };
  const heading = (text: string) => {
    room(60);
    doc.moveDown(0.8).font('Sans-Bold').fontSize(12).fillColor(COLOURS.text).text(text);
    doc.moveDown(0.3);
  };

  doc.font('Sans-Bold').fontSize(20).fillColor(COLOURS.text).text(document.title);
  doc.font('Sans').fontSize(11).fillColor(COLOURS.muted).text(document.subtitle);
  doc.moveDown(1);
  highlights(doc, document, accent, number);

  const tables = new Map(document.tables.map((table) => [table.name, table]));
  for (const name of document.charts) {
    const table = tables.get(name)!;
    if (table.rows.length === 0) continue;
    heading(table.title);
    chart(doc, document.columns, table.rows, accent, number, room);
  }
  for (const table of document.tables.filter((table) => table.rows.length > 0)) {
    heading(table.title);
    rows(doc, document.columns, table, number);
  }
  doc.moveDown(1).font('Sans').fontSize(8).fillColor(COLOURS.muted).text(document.footnote);
  doc.end();
  return await done;
}

/** Small grey text at a place: wrapped within `width`, else on one line. */
function note(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width?: number) {
  doc
    .font('Sans')
    .fontSize(8)
    .fillColor(COLOURS.muted)
    .text(text, x, y, width ? { width } : { lineBreak: false });
}

/** The large figures side by side, the year before beneath each in the annual report. */
function highlights(
  doc: PDFKit.PDFDocument,
  document: ReportDocument,
  accent: string,
  number: Intl.NumberFormat,
) {
  const gap = 10;
  const width =
    (CONTENT_WIDTH - gap * (document.highlights.length - 1)) / document.highlights.length;
  const top = doc.y;
  document.highlights.forEach((row, index) => {
    const x = PAGE.margin + index * (width + gap);
    doc.rect(x, top, width, 74).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    doc.rect(x, top, 3, 74).fillColor(accent).fill();
    doc
      .font('Sans-Bold')
      .fontSize(22)
      .fillColor(COLOURS.text)
      .text(number.format(row.values[0]), x + 10, top + 8, { width: width - 16 });
    note(doc, row.label, x + 10, top + 38, width - 16);
    if (row.values.length > 1) {
      note(doc, `${document.columns[1]}: ${number.format(row.values[1])}`, x + 10, top + 60);
    }
  });
  doc.x = PAGE.margin;
  doc.y = top + 84;
}

/** Horizontal bars drawn as rectangles, one per value column (the year, the year before). */
function chart(
  doc: PDFKit.PDFDocument,
  columns: string[],
  data: ReportRow[],
  accent: string,
  number: Intl.NumberFormat,
  room: (height: number) => void,
) {
  const labelWidth = 170;
  const barHeight = 10;
  const rowHeight = barHeight * columns.length + 8;
  const barSpace = CONTENT_WIDTH - labelWidth - 40;
  const largest = Math.max(1, ...data.flatMap((row) => row.values));
  const colours = [accent, ...COLOURS.series.slice(1)];
  if (columns.length > 1) {
    columns.forEach((column, index) => {
      doc
        .rect(PAGE.margin + index * 90, doc.y + 2, 8, 8)
        .fillColor(colours[index])
        .fill();
      note(doc, column, PAGE.margin + index * 90 + 12, doc.y);
    });
    doc.x = PAGE.margin;
    doc.moveDown(1.2);
  }
  for (const row of data) {
    room(rowHeight);
    const top = doc.y;
    doc
      .font('Sans')
      .fontSize(9)
      .fillColor(COLOURS.text)
      .text(row.label, PAGE.margin, top, {
        width: labelWidth - 8,
        height: rowHeight,
        ellipsis: true,
      });
    row.values.forEach((value, index) => {
      const y = top + index * barHeight;
      const width = (value / largest) * barSpace;
      if (width > 0) {
        doc
          .rect(PAGE.margin + labelWidth, y, width, barHeight - 2)
          .fillColor(colours[index])
          .fill();
      }
      note(doc, number.format(value), PAGE.margin + labelWidth + width + 4, y);
    });
    doc.x = PAGE.margin;
    doc.y = top + rowHeight;
  }
}

/** A table: the label, then the value columns right-aligned. */
function rows(
  doc: PDFKit.PDFDocument,
  columns: string[],
  table: ReportTable,
  number: Intl.NumberFormat,
) {
  const valueWidth = 70;
  doc.font('Sans').fontSize(9).fillColor(COLOURS.text);
  doc.table({
    columnStyles: [CONTENT_WIDTH - valueWidth * columns.length, ...columns.map(() => valueWidth)],
    defaultStyle: {
      border: [0, 0, 0.5, 0],
      borderColor: COLOURS.rule,
      padding: [3, 4],
    },
    data: [
      ['', ...columns].map((text, index) => ({
        text,
        type: 'TH' as const,
        font: { src: 'Sans-Bold' },
        align: index === 0 ? 'left' : ('right' as const),
      })),
      ...table.rows.map((row) => [
        { text: row.label },
        ...row.values.map((value) => ({
          text: number.format(value),
          align: { x: 'right' as const },
        })),
      ]),
    ],
  });
  doc.x = PAGE.margin;
}

/** A report as a file: CSV, XLSX or PDF, named after it and the day it was made. */
export async function reportFile(
  document: ReportDocument,
  format: ReportFileFormat,
  options: { delimiter?: CsvDelimiter; accentColor: string | null; day: string },
): Promise<ExportFile> {
  const body =
    format === 'csv'
      ? csv(document, options.delimiter)
      : format === 'xlsx'
        ? await xlsx(document)
        : await pdf(document, options.accentColor);
  return {
    body,
    contentType: format === 'pdf' ? 'application/pdf' : EXPORT_CONTENT_TYPES[format],
    disposition: attachment(document.fileName, `${options.day}.${format}`),
  };
}
