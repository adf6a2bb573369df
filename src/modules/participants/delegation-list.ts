import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { DomainError, NotFound } from '../../common/problem/domain-error.js';
import { auditActor } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import { allows, denialMessage } from '../identity/access/permissions.js';
import type { Locale } from '../identity/roles.js';
import { slugify } from '../identity/tenants.service.js';
import { countryName } from '../notifications/templates/format.js';
import {
  DELEGATION_LIST_COLUMNS,
  DELEGATION_LIST_LABELS,
  type DelegationListColumn,
  type DelegationListLabels,
} from './delegation-list.labels.js';
import type { CsvDelimiter, ExportFormat, ExportParticipantsQuery } from './dto/export.dto.js';
import type {
  ParticipantCategory,
  ParticipantRole,
  ParticipantStatus,
  VisaStatus,
} from './participants.constants.js';
import { openPassportNumber } from './passport-numbers.js';
import { TRIP } from '../trips/trips.subjects.js';
import { Changes } from '../audit/changes.js';

interface Row {
  title: string | null;
  first_name: string | null;
  last_name: string;
  organisation: string | null;
  position: string | null;
  email: string | null;
  phone: string | null;
  role: ParticipantRole;
  category: ParticipantCategory;
  status: ParticipantStatus;
  waitlist_position: number | null;
  nationality: string | null;
  issuing_country: string | null;
  expires_on: string | null;
  /** Null when no travel document is on file: neither yes nor no. */
  expiry_warning: boolean | null;
  participant_id: string;
  key_id: string | null;
  passport_number_sealed: Buffer | null;
  visa_required: boolean;
  visa_status: VisaStatus;
  dietary_needs: string | null;
  accessibility_needs: string | null;
  arrival: string | null;
  departure: string | null;
}

/** A calendar day (`YYYY-MM-DD`): a date cell in XLSX, the language's date format in CSV. */
interface Day {
  day: string;
}

/** One cell as exported; each format writes it its own way (see `csvText`, `xlsxValue`). */
type Value = string | number | boolean | Day | null;

interface Context {
  labels: DelegationListLabels;
  locale: Locale;
  passportNumber(row: Row): string | null;
}

const country = (code: string | null, { locale }: Context) =>
  code === null ? null : countryName(locale, code);

const COLUMNS: Record<DelegationListColumn, (row: Row, context: Context) => Value> = {
  title: (r) => r.title,
  firstName: (r) => r.first_name,
  lastName: (r) => r.last_name,
  organisation: (r) => r.organisation,
  position: (r) => r.position,
  email: (r) => r.email,
  phone: (r) => r.phone,
  role: (r, { labels }) => labels.roles[r.role],
  category: (r, { labels }) => labels.categories[r.category],
  status: (r, { labels }) => labels.statuses[r.status],
  waitlistPosition: (r) => r.waitlist_position,
  nationality: (r, context) => country(r.nationality, context),
  passportNumber: (r, context) => context.passportNumber(r),
  issuingCountry: (r, context) => country(r.issuing_country, context),
  expiresOn: (r) => (r.expires_on === null ? null : { day: r.expires_on }),
  expiryWarning: (r) => r.expiry_warning,
  visaRequired: (r) => r.visa_required,
  visaStatus: (r, { labels }) => labels.visaStatuses[r.visa_status],
  dietaryNeeds: (r) => r.dietary_needs,
  accessibilityNeeds: (r) => r.accessibility_needs,
  // Free text (flight, time), not timestamps: exported as entered.
  arrival: (r) => r.arrival,
  departure: (r) => r.departure,
};

/** A text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'` (OWASP). */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  /** The `Content-Disposition` header: an attachment named after the trip. */
  disposition: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const CSV_SEPARATORS: Record<CsvDelimiter, string> = { semicolon: ';', comma: ',' };

/**
 * The delegation list as staff and embassies use it: one row per
 * participant in registration order, one query whatever its length, in the
 * agency's language (or the one asked for). Passport numbers only on
 * request, to `pii:read` callers, audited.
 */
@Injectable()
export class DelegationList {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly changes: Changes,
  ) {}

  async export(actor: Actor, tripId: string, query: ExportParticipantsQuery): Promise<ExportFile> {
    const withNumbers = query.includePassportNumbers === true;
    if (withNumbers && !allows(actor, 'pii:read')) {
      throw new DomainError(403, 'forbidden', denialMessage(actor, 'pii:read'));
    }
    return this.dataSource.transaction(async (manager) => {
      const [trip] = await manager.query<{ title: string; default_locale: Locale }[]>(
        `SELECT t.title, tn.default_locale
           FROM trips t JOIN tenants tn ON tn.id = t.tenant_id
          WHERE t.tenant_id = $1 AND t.id = $2`,
        [actor.tenantId, tripId],
      );
      if (!trip) throw new NotFound('trip');
      const rows = await manager.query<Row[]>(DELEGATION_LIST_SQL, [
        actor.tenantId,
        tripId,
        query.status ?? null,
      ]);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: withNumbers
          ? 'participants.exported_with_passport_numbers'
          : 'participants.exported',
        subject: TRIP,
        id: tripId,
        changes: { export: { before: null, after: { format: query.format, rows: rows.length } } },
      });
      const locale = query.lang ?? trip.default_locale;
      const labels = DELEGATION_LIST_LABELS[locale];
      const context: Context = {
        labels,
        locale,
        passportNumber: (row) => this.passportNumber(row),
      };
      const columns = DELEGATION_LIST_COLUMNS.filter(
        (column) => withNumbers || column !== 'passportNumber',
      );
      const table: Table = {
        headers: columns.map((column) => labels.columns[column]),
        rows: rows.map((row) => columns.map((column) => COLUMNS[column](row, context))),
      };
      const body =
        query.format === 'csv'
          ? toCsv(table, labels, query.delimiter ?? labels.csvDelimiter)
          : await toXlsx(table, labels, trip.title);
      return {
        body,
        contentType: CONTENT_TYPES[query.format],
        disposition: attachment(trip.title, `participants.${query.format}`),
      };
    });
  }

  private passportNumber(row: Row): string | null {
    if (!row.passport_number_sealed || !row.key_id) return null;
    return openPassportNumber(this.cipher, {
      participantId: row.participant_id,
      keyId: row.key_id,
      sealed: row.passport_number_sealed,
    });
  }
}

const DELEGATION_LIST_SQL = `
  SELECT c.title, c.first_name, c.last_name, o.name AS organisation, c.position, c.email::text AS email,
         c.phone, p.id AS participant_id, p.role, p.category, p.status, p.waitlist_position,
         d.nationality, d.issuing_country, to_char(d.expires_on, 'YYYY-MM-DD') AS expires_on,
         d.expires_on < t.end_date + make_interval(months => tn.passport_validity_margin_months)
           AS expiry_warning,
         d.key_id, d.passport_number_sealed, p.visa_required, p.visa_status, p.dietary_needs,
         p.accessibility_needs, p.arrival, p.departure
    FROM participants p
    JOIN trips t ON t.id = p.trip_id
    JOIN tenants tn ON tn.id = p.tenant_id
    JOIN contacts c ON c.id = p.contact_id
    LEFT JOIN partner_organisations o ON o.id = p.organisation_id
    LEFT JOIN travel_documents d ON d.participant_id = p.id
   WHERE p.tenant_id = $1 AND p.trip_id = $2 AND ($3::text IS NULL OR p.status = $3)
   ORDER BY p.registered_at, p.id`;

interface Table {
  headers: string[];
  rows: Value[][];
}

/**
 * `attachment; filename="<slug>-<suffix>"`, plus a UTF-8 `filename*`
 * (RFC 6266) keeping the title's own letters when the ASCII slug had to
 * drop them (`geschäftsreise-südkorea-…` beside `geschaftsreise-sudkorea-…`).
 */
export function attachment(title: string, suffix: string): string {
  const slug = slugify(title);
  // slugify's fallback for a name without ASCII letters is `agency` (made for tenants):
  // such a trip's file goes by the suffix alone.
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
function csvText(value: Value, labels: DelegationListLabels): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? labels.yes : labels.no;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return neutraliseFormula(value);
  return labels.day(value.day);
}

/** CRLF line ends (RFC 4180, and what Excel writes), a BOM so Excel reads UTF-8. */
function toCsv(table: Table, labels: DelegationListLabels, delimiter: CsvDelimiter): Buffer {
  return Buffer.from(
    stringify(
      [table.headers, ...table.rows.map((row) => row.map((value) => csvText(value, labels)))],
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
function shownLength(value: Value, labels: DelegationListLabels): number {
  if (value === null) return 0;
  // Shown as TRUE/FALSE in the spreadsheet's own language (WAHR/FALSCH in German).
  if (typeof value === 'boolean') return 'FALSCH'.length;
  if (typeof value === 'string')
    return Math.max(...value.split(/\r?\n/).map((line) => line.length));
  if (typeof value === 'number') return String(value).length;
  return labels.dayFormat.length;
}

/** Column widths in characters: the longest cell plus room for the filter button, within bounds. */
const COLUMN_WIDTH = { min: 8, max: 50, padding: 3 };

/**
 * Text goes in as text cells, which spreadsheets never evaluate, so it is
 * written as entered (an apostrophe would show: `'+49 3641 65-0`); days,
 * yes/no and numbers as typed cells, so they sort and filter as such.
 */
async function toXlsx(table: Table, labels: DelegationListLabels, title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Delegation Desk';
  // Sheet names: at most 31 characters, none of : \ / ? * [ ]
  const sheet = workbook.addWorksheet(
    title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Participants',
  );
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
      (widest, value) => Math.max(widest, shownLength(value, labels)),
      header.length,
    );
    column.width = Math.min(
      COLUMN_WIDTH.max,
      Math.max(COLUMN_WIDTH.min, longest + COLUMN_WIDTH.padding),
    );
    values.forEach((value, row) => {
      if (value !== null && typeof value === 'object') {
        sheet.getCell(row + 2, index + 1).numFmt = labels.dayFormat;
      }
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
