import type { Locale } from '../identity/roles.js';
import type { AgreementCategory, AgreementKind, AgreementStatus } from './agreements.constants.js';

/** The agreement table's columns, in file order. */
export const AGREEMENT_EXPORT_COLUMNS = [
  'title',
  'kind',
  'category',
  'status',
  'statusSince',
  'parties',
  'countries',
  'signatories',
  'agencyIsParty',
  'signedOn',
  'signedInCity',
  'signedInCountry',
  'validUntil',
  'trip',
  'meeting',
  'openFollowUps',
  'tags',
  'documentUrl',
  'summary',
] as const;
export type AgreementExportColumn = (typeof AGREEMENT_EXPORT_COLUMNS)[number];

/** The words of the agreement table in one language; a code without a label does not compile. */
export interface AgreementExportLabels {
  sheet: string;
  columns: Record<AgreementExportColumn, string>;
  kinds: Record<AgreementKind, string>;
  categories: Record<AgreementCategory, string>;
  statuses: Record<AgreementStatus, string>;
}

export const AGREEMENT_EXPORT_LABELS: Record<Locale, AgreementExportLabels> = {
  de: {
    sheet: 'Vereinbarungen',
    columns: {
      title: 'Titel',
      kind: 'Art',
      category: 'Bereich',
      status: 'Status',
      statusSince: 'Status seit',
      parties: 'Partner',
      countries: 'Länder',
      signatories: 'Unterzeichnet von',
      agencyIsParty: 'Agentur ist Vertragspartei',
      signedOn: 'Unterzeichnet am',
      signedInCity: 'Unterzeichnet in (Ort)',
      signedInCountry: 'Unterzeichnet in (Land)',
      validUntil: 'Gültig bis',
      trip: 'Reise',
      meeting: 'Termin',
      openFollowUps: 'Offene Nachverfolgungen',
      tags: 'Schlagwörter',
      documentUrl: 'Dokument',
      summary: 'Zusammenfassung',
    },
    kinds: {
      mou: 'Absichtserklärung (MoU)',
      cooperation_agreement: 'Kooperationsvereinbarung',
      letter_of_intent: 'Letter of Intent',
      contract: 'Vertrag',
    },
    categories: { business: 'Wirtschaft', academic: 'Wissenschaft', government: 'Regierung' },
    statuses: {
      draft: 'Entwurf',
      negotiating: 'In Verhandlung',
      signed: 'Unterzeichnet',
      in_force: 'In Kraft',
      expired: 'Abgelaufen',
      terminated: 'Beendet',
      abandoned: 'Verworfen',
    },
  },
  en: {
    sheet: 'Agreements',
    columns: {
      title: 'Title',
      kind: 'Kind',
      category: 'Category',
      status: 'Status',
      statusSince: 'Status since',
      parties: 'Parties',
      countries: 'Countries',
      signatories: 'Signed by',
      agencyIsParty: 'Agency is a party',
      signedOn: 'Signed on',
      signedInCity: 'Signed in (city)',
      signedInCountry: 'Signed in (country)',
      validUntil: 'Valid until',
      trip: 'Trip',
      meeting: 'Meeting',
      openFollowUps: 'Open follow-ups',
      tags: 'Tags',
      documentUrl: 'Document',
      summary: 'Summary',
    },
    kinds: {
      mou: 'Memorandum of understanding',
      cooperation_agreement: 'Cooperation agreement',
      letter_of_intent: 'Letter of intent',
      contract: 'Contract',
    },
    categories: { business: 'Business', academic: 'Academic', government: 'Government' },
    statuses: {
      draft: 'Draft',
      negotiating: 'Negotiating',
      signed: 'Signed',
      in_force: 'In force',
      expired: 'Expired',
      terminated: 'Terminated',
      abandoned: 'Abandoned',
    },
  },
};
