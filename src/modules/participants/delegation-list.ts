import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { DomainError, NotFound } from '../../common/problem/domain-error.js';
import { auditActor, AuditService } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import { allows, denialMessage } from '../identity/access/permissions.js';
import type { ExportFormat, ExportParticipantsQuery } from './dto/export.dto.js';
import { slugify } from '../identity/tenants.service.js';

interface Row {
  title: string | null;
  first_name: string | null;
  last_name: string;
  organisation: string | null;
  position: string | null;
  email: string | null;
  phone: string | null;
  role: string;
  category: string;
  status: string;
  waitlist_position: number | null;
  nationality: string | null;
  issuing_country: string | null;
  expires_on: string | null;
  expiry_warning: boolean | null;
  participant_id: string;
  key_id: string | null;
  passport_number_sealed: Buffer | null;
  visa_required: boolean;
  visa_status: string;
  dietary_needs: string | null;
  accessibility_needs: string | null;
  arrival: string | null;
  departure: string | null;
}

type Cell = string | number;

const COLUMNS: [header: string, value: (row: Row) => Cell | null][] = [
  ['Title', (r) => r.title],
  ['First name', (r) => r.first_name],
  ['Last name', (r) => r.last_name],
  ['Organisation', (r) => r.organisation],
  ['Position', (r) => r.position],
  ['Email', (r) => r.email],
  ['Phone', (r) => r.phone],
  ['Role', (r) => r.role],
  ['Category', (r) => r.category],
  ['Status', (r) => r.status],
  ['Waitlist position', (r) => r.waitlist_position],
  ['Nationality', (r) => r.nationality],
  ['Passport issued by', (r) => r.issuing_country],
  ['Passport expires', (r) => r.expires_on],
  ['Passport expiry warning', (r) => (r.expiry_warning ? 'yes' : r.expires_on ? 'no' : null)],
  ['Visa required', (r) => (r.visa_required ? 'yes' : 'no')],
  ['Visa status', (r) => r.visa_status],
  ['Dietary needs', (r) => r.dietary_needs],
  ['Accessibility needs', (r) => r.accessibility_needs],
  ['Arrival', (r) => r.arrival],
  ['Departure', (r) => r.departure],
];

/** A text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'` (OWASP). */
export function neutraliseFormula(cell: Cell | null): Cell {
  if (cell === null) return '';
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  fileName: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The delegation list as staff and embassies use it: one row per
 * participant in registration order, one query whatever its length.
 * Passport numbers only on request, to `pii:read` callers, audited.
 */
@Injectable()
export class DelegationList {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditService,
  ) {}

  async export(actor: Actor, tripId: string, query: ExportParticipantsQuery): Promise<ExportFile> {
    const withNumbers = query.includePassportNumbers === true;
    if (withNumbers && !allows(actor, 'pii:read')) {
      throw new DomainError(403, 'forbidden', denialMessage(actor, 'pii:read'));
    }
    return this.dataSource.transaction(async (manager) => {
      const [trip] = await manager.query<{ title: string }[]>(
        'SELECT title FROM trips WHERE tenant_id = $1 AND id = $2',
        [actor.tenantId, tripId],
      );
      if (!trip) throw new NotFound('trip');
      const rows = await manager.query<Row[]>(DELEGATION_LIST_SQL, [
        actor.tenantId,
        tripId,
        query.status ?? null,
      ]);
      await this.audit.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: withNumbers
          ? 'participants.exported_with_passport_numbers'
          : 'participants.exported',
        entityType: 'trip',
        entityId: tripId,
        changes: { export: { before: null, after: { format: query.format, rows: rows.length } } },
      });
      const columns: typeof COLUMNS = withNumbers
        ? [
            ...COLUMNS.slice(0, 12),
            ['Passport number', (r) => this.passportNumber(r)],
            ...COLUMNS.slice(12),
          ]
        : COLUMNS;
      const table = [
        columns.map(([header]) => header),
        ...rows.map((row) => columns.map(([, value]) => value(row))),
      ];
      const fileName = `${slugify(trip.title)}-participants.${query.format}`;
      const body = query.format === 'csv' ? toCsv(table) : await toXlsx(table, trip.title);
      return { body, contentType: CONTENT_TYPES[query.format], fileName };
    });
  }

  private passportNumber(row: Row): string | null {
    if (!row.passport_number_sealed || !row.key_id) return null;
    return this.cipher.open(
      { keyId: row.key_id, data: row.passport_number_sealed },
      row.participant_id,
    );
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

/** Formula-looking text neutralised: a CSV cell is typed by whoever opens it. */
function toCsv(table: (Cell | null)[][]): Buffer {
  return Buffer.from(
    stringify(
      table.map((row) => row.map(neutraliseFormula)),
      { bom: true },
    ),
    'utf8',
  );
}

/**
 * Text goes in as text cells, which spreadsheets never evaluate, so it is
 * written as entered (an apostrophe would show: `'+49 3641 65-0`).
 */
async function toXlsx(table: (Cell | null)[][], title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Delegation Desk';
  // Sheet names: at most 31 characters, none of : \ / ? * [ ]
  const sheet = workbook.addWorksheet(
    title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Participants',
  );
  sheet.addRows(table);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
