import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  attachment,
  EXPORT_CONTENT_TYPES,
  SPREADSHEET_WORDS,
  toCsv,
  toXlsx,
  type ExportFile,
  type Value,
} from '../../common/spreadsheet/spreadsheet.js';
import { auditActor } from '../audit/audit.service.js';
import { Changes } from '../audit/changes.js';
import type { Actor } from '../identity/access/actor.js';
import { countryName } from '../notifications/templates/format.js';
import {
  AGREEMENT_EXPORT_COLUMNS,
  AGREEMENT_EXPORT_LABELS,
  type AgreementExportColumn,
  type AgreementExportLabels,
} from './agreement-export.labels.js';
import type { AgreementCategory, AgreementKind, AgreementStatus } from './agreements.constants.js';
import { AgreementsRepository, type AgreementExportRow } from './agreements.repository.js';
import { AGREEMENT } from './agreements.subjects.js';
import type { ExportAgreementsQuery } from './dto/agreement-export.dto.js';
import type { Locale } from '../identity/roles.js';

const day = (value: string | null): Value => (value === null ? null : { day: value });

const COLUMNS: Record<
  AgreementExportColumn,
  (row: AgreementExportRow, labels: AgreementExportLabels, locale: Locale) => Value
> = {
  title: (r) => r.title,
  kind: (r, l) => l.kinds[r.kind as AgreementKind],
  category: (r, l) => l.categories[r.category as AgreementCategory],
  status: (r, l) => l.statuses[r.status as AgreementStatus],
  statusSince: (r) => day(r.status_since),
  parties: (r) => r.parties,
  countries: (r, _l, locale) =>
    r.countries
      .split(', ')
      .filter(Boolean)
      .map((code) => countryName(locale, code))
      .join(', '),
  signatories: (r) => r.signatories,
  agencyIsParty: (r) => r.agency_is_party,
  signedOn: (r) => day(r.signed_on),
  signedInCity: (r) => r.signed_in_city,
  signedInCountry: (r, _l, locale) =>
    r.signed_in_country === null ? null : countryName(locale, r.signed_in_country),
  validUntil: (r) => day(r.valid_until),
  trip: (r) => r.trip,
  meeting: (r) => r.meeting,
  openFollowUps: (r) => r.open_follow_ups,
  tags: (r) => r.tags,
  documentUrl: (r) => r.document_url,
  summary: (r) => r.summary,
};

/**
 * The agreements table agencies send to their ministry: the list's filters,
 * one row per agreement, in the agency's language; one query. Audited, as
 * it names the people who signed.
 */
@Injectable()
export class AgreementExport {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agreements: AgreementsRepository,
    private readonly changes: Changes,
  ) {}

  async export(actor: Actor, query: ExportAgreementsQuery): Promise<ExportFile> {
    const { format, lang, delimiter, ...filters } = query;
    const [rows, agencyLocale, today] = await Promise.all([
      this.agreements.exportRows(actor.tenantId, filters),
      this.agreements.agencyLocale(actor.tenantId),
      this.agreements.agencyToday(this.dataSource.manager, actor.tenantId),
    ]);
    await this.dataSource.transaction((manager) =>
      this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: AGREEMENT,
        id: null,
        action: 'agreements.exported',
        changes: { export: { before: null, after: { format, rows: rows.length } } },
      }),
    );
    const locale = lang ?? agencyLocale;
    const labels = AGREEMENT_EXPORT_LABELS[locale];
    const words = SPREADSHEET_WORDS[locale];
    const table = {
      headers: AGREEMENT_EXPORT_COLUMNS.map((column) => labels.columns[column]),
      rows: rows.map((row) =>
        AGREEMENT_EXPORT_COLUMNS.map((column) => COLUMNS[column](row, labels, locale)),
      ),
    };
    return {
      body:
        format === 'csv'
          ? toCsv(table, words, delimiter ?? words.csvDelimiter)
          : await toXlsx([{ name: labels.sheet, table }], words),
      contentType: EXPORT_CONTENT_TYPES[format],
      disposition: attachment(labels.sheet, `${today}.${format}`),
    };
  }
}
