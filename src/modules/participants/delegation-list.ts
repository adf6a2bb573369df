import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { DomainError, NotFound } from '../../common/problem/domain-error.js';
import {
  attachment,
  EXPORT_CONTENT_TYPES,
  SPREADSHEET_WORDS,
  toCsv,
  toXlsx,
  type ExportFile,
  type Table,
  type Value,
} from '../../common/spreadsheet/spreadsheet.js';
import { auditActor } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import { allows, denialMessage } from '../identity/access/permissions.js';
import type { Locale } from '../identity/roles.js';
import { countryName } from '../notifications/templates/format.js';
import {
  DELEGATION_LIST_COLUMNS,
  DELEGATION_LIST_LABELS,
  type DelegationListColumn,
  type DelegationListLabels,
} from './delegation-list.labels.js';
import type { ExportParticipantsQuery } from './dto/export.dto.js';
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
      const words = SPREADSHEET_WORDS[locale];
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
          ? toCsv(table, words, query.delimiter ?? words.csvDelimiter)
          : await toXlsx([{ name: trip.title, table }], words, 'Participants');
      return {
        body,
        contentType: EXPORT_CONTENT_TYPES[query.format],
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
