import { AGREEMENT_EXPORT_LABELS } from '../agreements/agreement-export.labels.js';
import type { OrganisationKind } from '../directory/directory.constants.js';
import type { Locale } from '../identity/roles.js';
import type { InvitationStatus } from '../invitations/invitations.constants.js';
import { DELEGATION_LIST_LABELS } from '../participants/delegation-list.labels.js';
import type { MeetingKind, MeetingStatus } from '../programme/programme.constants.js';
import type { TripKind, TripStatus } from '../trips/trips.constants.js';

/**
 * The words of the report files (CSV, XLSX, PDF) in one language. Codes
 * the delegation list and the agreement table already name are named as
 * there; a code added to the constants without a label does not compile.
 */
export interface ReportWords {
  tripReport: string;
  annualReport: string;
  /** "Figures of {agency} for {year}" and the like: the PDF's second line. */
  agencyYear(agency: string, year: number): string;
  generatedAt: string;
  /** The CSV's first columns and the tables' first column. */
  table: string;
  key: string;
  item: string;
  count: string;
  none: string;
  /** Headline figures and table titles, by the name the report document gives them. */
  figures: Record<ReportFigure, string>;
  tables: Record<ReportTableName, string>;
  /** The tables' worksheet names: at most 31 characters, as XLSX allows. */
  sheets: Record<ReportTableName, string>;
  participantStatuses: Record<string, string>;
  participantRoles: Record<string, string>;
  participantCategories: Record<string, string>;
  organisationKinds: Record<OrganisationKind, string>;
  meetingKinds: Record<MeetingKind, string>;
  meetingStatuses: Record<MeetingStatus, string>;
  tripKinds: Record<TripKind, string>;
  tripStatuses: Record<TripStatus, string>;
  invitationStatuses: Record<Exclude<InvitationStatus, 'expired'>, string>;
  agreementKinds: Record<string, string>;
  agreementCategories: Record<string, string>;
  agreementStatuses: Record<string, string>;
}

export const REPORT_FIGURES = [
  'participants',
  'organisationsRepresented',
  'stations',
  'meetings',
  'officialAppointments',
  'counterpartsMet',
  'agreements',
  'agreementsSigned',
  'openFollowUps',
  'invitationsSent',
  'invitationsAccepted',
  'invitationsDeclined',
  'messagesSent',
  'messagesFailed',
  'trips',
  'countriesVisited',
  'peopleReached',
  'organisationsReached',
  'meetingsHeld',
] as const;
export type ReportFigure = (typeof REPORT_FIGURES)[number];

export const REPORT_TABLES = [
  'headline',
  'participantsByStatus',
  'participantsByRole',
  'participantsByCategory',
  'participantsByOrganisationKind',
  'participantsByCountry',
  'meetingsByKind',
  'meetingsByStatus',
  'meetingsByStation',
  'officialAppointmentsByStation',
  'counterpartsByCountry',
  'counterpartsByKind',
  'agreementsByStatus',
  'agreementsByCategory',
  'agreementsByKind',
  'signedByCategory',
  'signedByKind',
  'tripsByKind',
  'tripsByStatus',
  'countriesVisited',
  'organisationsReachedByKind',
] as const;
export type ReportTableName = (typeof REPORT_TABLES)[number];

const DE_LIST = DELEGATION_LIST_LABELS.de;
const EN_LIST = DELEGATION_LIST_LABELS.en;
const DE_AGREEMENTS = AGREEMENT_EXPORT_LABELS.de;
const EN_AGREEMENTS = AGREEMENT_EXPORT_LABELS.en;

export const REPORT_WORDS: Record<Locale, ReportWords> = {
  de: {
    tripReport: 'Reisebericht',
    annualReport: 'Jahresbilanz',
    agencyYear: (agency, year) => `${agency} · Jahr ${year}`,
    generatedAt: 'Erstellt am',
    table: 'Tabelle',
    key: 'Schlüssel',
    item: 'Merkmal',
    count: 'Anzahl',
    none: 'ohne Angabe',
    figures: {
      participants: 'Teilnehmende',
      organisationsRepresented: 'Vertretene Organisationen',
      stations: 'Stationen',
      meetings: 'Termine',
      officialAppointments: 'Offizielle Termine',
      counterpartsMet: 'Getroffene Partnerorganisationen',
      agreements: 'Vereinbarungen',
      agreementsSigned: 'Unterzeichnete Vereinbarungen',
      openFollowUps: 'Offene Nachverfolgungen',
      invitationsSent: 'Versandte Einladungen',
      invitationsAccepted: 'Angenommene Einladungen',
      invitationsDeclined: 'Abgelehnte Einladungen',
      messagesSent: 'Versandte Nachrichten',
      messagesFailed: 'Nicht zugestellte Nachrichten',
      trips: 'Reisen und Veranstaltungen',
      countriesVisited: 'Bereiste Länder',
      peopleReached: 'Erreichte Personen',
      organisationsReached: 'Erreichte Unternehmen und Einrichtungen',
      meetingsHeld: 'Offizielle Termine wahrgenommen',
    },
    tables: {
      headline: 'Kennzahlen',
      participantsByStatus: 'Teilnehmende nach Status',
      participantsByRole: 'Teilnehmende nach Rolle',
      participantsByCategory: 'Teilnehmende nach Kategorie',
      participantsByOrganisationKind: 'Teilnehmende nach Art der Organisation',
      participantsByCountry: 'Teilnehmende nach Land der Organisation',
      meetingsByKind: 'Termine nach Art',
      meetingsByStatus: 'Termine nach Status',
      meetingsByStation: 'Termine je Station',
      officialAppointmentsByStation: 'Offizielle Termine je Station',
      counterpartsByCountry: 'Partnerorganisationen nach Land',
      counterpartsByKind: 'Partnerorganisationen nach Art',
      agreementsByStatus: 'Vereinbarungen nach Status',
      agreementsByCategory: 'Vereinbarungen nach Bereich',
      agreementsByKind: 'Vereinbarungen nach Art',
      signedByCategory: 'Unterzeichnete Vereinbarungen nach Bereich',
      signedByKind: 'Unterzeichnete Vereinbarungen nach Art',
      tripsByKind: 'Reisen nach Art',
      tripsByStatus: 'Reisen nach Status',
      countriesVisited: 'Bereiste Länder',
      organisationsReachedByKind: 'Erreichte Organisationen nach Art',
    },
    sheets: {
      headline: 'Kennzahlen',
      participantsByStatus: 'Teilnehmende – Status',
      participantsByRole: 'Teilnehmende – Rolle',
      participantsByCategory: 'Teilnehmende – Kategorie',
      participantsByOrganisationKind: 'Teilnehmende – Organisationsart',
      participantsByCountry: 'Teilnehmende – Land',
      meetingsByKind: 'Termine – Art',
      meetingsByStatus: 'Termine – Status',
      meetingsByStation: 'Termine – Station',
      officialAppointmentsByStation: 'Offizielle Termine – Station',
      counterpartsByCountry: 'Partner – Land',
      counterpartsByKind: 'Partner – Art',
      agreementsByStatus: 'Vereinbarungen – Status',
      agreementsByCategory: 'Vereinbarungen – Bereich',
      agreementsByKind: 'Vereinbarungen – Art',
      signedByCategory: 'Unterzeichnet – Bereich',
      signedByKind: 'Unterzeichnet – Art',
      tripsByKind: 'Reisen – Art',
      tripsByStatus: 'Reisen – Status',
      countriesVisited: 'Bereiste Länder',
      organisationsReachedByKind: 'Organisationen – Art',
    },
    participantStatuses: DE_LIST.statuses,
    participantRoles: DE_LIST.roles,
    participantCategories: DE_LIST.categories,
    organisationKinds: {
      company: 'Unternehmen',
      research_institute: 'Forschungseinrichtung',
      university: 'Hochschule',
      chamber: 'Kammer',
      association: 'Verband',
      ministry: 'Ministerium',
      embassy: 'Botschaft',
      consulate: 'Konsulat',
      agency: 'Agentur',
      other: 'Sonstige',
    },
    meetingKinds: {
      b2b: 'B2B-Gespräch',
      company_visit: 'Unternehmensbesuch',
      government_talk: 'Regierungsgespräch',
      institution_visit: 'Besuch einer Einrichtung',
      reception: 'Empfang',
      seminar: 'Seminar',
      networking: 'Netzwerken',
      site_visit: 'Standortbesichtigung',
      travel: 'Reise',
      other: 'Sonstiges',
    },
    meetingStatuses: {
      planned: 'Geplant',
      confirmed: 'Bestätigt',
      held: 'Stattgefunden',
      cancelled: 'Abgesagt',
    },
    tripKinds: {
      delegation: 'Delegationsreise',
      market_exploration: 'Markterkundungsreise',
      virtual_mission: 'Virtuelle Mission',
      incoming_delegation: 'Empfangene Delegation',
      trade_fair: 'Gemeinschaftsstand auf Messe',
      information_event: 'Informationsveranstaltung',
    },
    tripStatuses: {
      draft: 'Entwurf',
      planned: 'Geplant',
      registration_open: 'Anmeldung offen',
      registration_closed: 'Anmeldung geschlossen',
      in_progress: 'Unterwegs',
      completed: 'Abgeschlossen',
      cancelled: 'Abgesagt',
    },
    invitationStatuses: {
      pending: 'Offen',
      accepted: 'Angenommen',
      declined: 'Abgelehnt',
      revoked: 'Zurückgezogen',
    },
    agreementKinds: DE_AGREEMENTS.kinds,
    agreementCategories: DE_AGREEMENTS.categories,
    agreementStatuses: DE_AGREEMENTS.statuses,
  },
  en: {
    tripReport: 'Trip report',
    annualReport: 'Annual report',
    agencyYear: (agency, year) => `${agency} · ${year}`,
    generatedAt: 'Generated',
    table: 'Table',
    key: 'Key',
    item: 'Item',
    count: 'Count',
    none: 'not given',
    figures: {
      participants: 'Participants',
      organisationsRepresented: 'Organisations represented',
      stations: 'Stations',
      meetings: 'Meetings',
      officialAppointments: 'Official appointments',
      counterpartsMet: 'Counterpart organisations met',
      agreements: 'Agreements',
      agreementsSigned: 'Agreements signed',
      openFollowUps: 'Open follow-ups',
      invitationsSent: 'Invitations sent',
      invitationsAccepted: 'Invitations accepted',
      invitationsDeclined: 'Invitations declined',
      messagesSent: 'Messages sent',
      messagesFailed: 'Messages failed',
      trips: 'Trips and events',
      countriesVisited: 'Countries visited',
      peopleReached: 'People reached',
      organisationsReached: 'Companies and institutions reached',
      meetingsHeld: 'Official appointments held',
    },
    tables: {
      headline: 'Key figures',
      participantsByStatus: 'Participants by status',
      participantsByRole: 'Participants by role',
      participantsByCategory: 'Participants by category',
      participantsByOrganisationKind: 'Participants by kind of organisation',
      participantsByCountry: "Participants by organisation's country",
      meetingsByKind: 'Meetings by kind',
      meetingsByStatus: 'Meetings by status',
      meetingsByStation: 'Meetings per station',
      officialAppointmentsByStation: 'Official appointments per station',
      counterpartsByCountry: 'Counterparts by country',
      counterpartsByKind: 'Counterparts by kind',
      agreementsByStatus: 'Agreements by status',
      agreementsByCategory: 'Agreements by category',
      agreementsByKind: 'Agreements by kind',
      signedByCategory: 'Agreements signed by category',
      signedByKind: 'Agreements signed by kind',
      tripsByKind: 'Trips by kind',
      tripsByStatus: 'Trips by status',
      countriesVisited: 'Countries visited',
      organisationsReachedByKind: 'Organisations reached by kind',
    },
    sheets: {
      headline: 'Key figures',
      participantsByStatus: 'Participants – status',
      participantsByRole: 'Participants – role',
      participantsByCategory: 'Participants – category',
      participantsByOrganisationKind: 'Participants – organisation',
      participantsByCountry: 'Participants – country',
      meetingsByKind: 'Meetings – kind',
      meetingsByStatus: 'Meetings – status',
      meetingsByStation: 'Meetings – station',
      officialAppointmentsByStation: 'Official appointments – station',
      counterpartsByCountry: 'Counterparts – country',
      counterpartsByKind: 'Counterparts – kind',
      agreementsByStatus: 'Agreements – status',
      agreementsByCategory: 'Agreements – category',
      agreementsByKind: 'Agreements – kind',
      signedByCategory: 'Signed – category',
      signedByKind: 'Signed – kind',
      tripsByKind: 'Trips – kind',
      tripsByStatus: 'Trips – status',
      countriesVisited: 'Countries visited',
      organisationsReachedByKind: 'Organisations – kind',
    },
    participantStatuses: EN_LIST.statuses,
    participantRoles: EN_LIST.roles,
    participantCategories: EN_LIST.categories,
    organisationKinds: {
      company: 'Company',
      research_institute: 'Research institute',
      university: 'University',
      chamber: 'Chamber',
      association: 'Association',
      ministry: 'Ministry',
      embassy: 'Embassy',
      consulate: 'Consulate',
      agency: 'Agency',
      other: 'Other',
    },
    meetingKinds: {
      b2b: 'B2B meeting',
      company_visit: 'Company visit',
      government_talk: 'Government talk',
      institution_visit: 'Institution visit',
      reception: 'Reception',
      seminar: 'Seminar',
      networking: 'Networking',
      site_visit: 'Site visit',
      travel: 'Travel',
      other: 'Other',
    },
    meetingStatuses: {
      planned: 'Planned',
      confirmed: 'Confirmed',
      held: 'Held',
      cancelled: 'Cancelled',
    },
    tripKinds: {
      delegation: 'Delegation trip',
      market_exploration: 'Market-exploration trip',
      virtual_mission: 'Virtual mission',
      incoming_delegation: 'Incoming delegation received',
      trade_fair: 'Joint stand at a trade fair',
      information_event: 'Information event',
    },
    tripStatuses: {
      draft: 'Draft',
      planned: 'Planned',
      registration_open: 'Registration open',
      registration_closed: 'Registration closed',
      in_progress: 'Under way',
      completed: 'Completed',
      cancelled: 'Cancelled',
    },
    invitationStatuses: {
      pending: 'Pending',
      accepted: 'Accepted',
      declined: 'Declined',
      revoked: 'Revoked',
    },
    agreementKinds: EN_AGREEMENTS.kinds,
    agreementCategories: EN_AGREEMENTS.categories,
    agreementStatuses: EN_AGREEMENTS.statuses,
  },
};
