import type { Locale } from '../identity/roles.js';
import type {
  ParticipantCategory,
  ParticipantRole,
  ParticipantStatus,
  VisaStatus,
} from './participants.constants.js';

/** The delegation list's columns, in file order. */
export const DELEGATION_LIST_COLUMNS = [
  'title',
  'firstName',
  'lastName',
  'organisation',
  'position',
  'email',
  'phone',
  'role',
  'category',
  'status',
  'waitlistPosition',
  'nationality',
  'passportNumber',
  'issuingCountry',
  'expiresOn',
  'expiryWarning',
  'visaRequired',
  'visaStatus',
  'dietaryNeeds',
  'accessibilityNeeds',
  'arrival',
  'departure',
] as const;
export type DelegationListColumn = (typeof DELEGATION_LIST_COLUMNS)[number];

/**
 * The words of the delegation list in one language. Every column and every
 * code has its label here, so a code added to the constants without one
 * does not compile. Yes/no and days are every export's: `SPREADSHEET_WORDS`.
 */
export interface DelegationListLabels {
  columns: Record<DelegationListColumn, string>;
  roles: Record<ParticipantRole, string>;
  categories: Record<ParticipantCategory, string>;
  statuses: Record<ParticipantStatus, string>;
  visaStatuses: Record<VisaStatus, string>;
}

export const DELEGATION_LIST_LABELS: Record<Locale, DelegationListLabels> = {
  de: {
    columns: {
      title: 'Titel',
      firstName: 'Vorname',
      lastName: 'Nachname',
      organisation: 'Organisation',
      position: 'Funktion',
      email: 'E-Mail',
      phone: 'Telefon',
      role: 'Rolle',
      category: 'Kategorie',
      status: 'Status',
      waitlistPosition: 'Wartelistenplatz',
      nationality: 'Staatsangehörigkeit',
      passportNumber: 'Passnummer',
      issuingCountry: 'Ausstellungsstaat des Passes',
      expiresOn: 'Pass gültig bis',
      expiryWarning: 'Pass läuft zu früh ab',
      visaRequired: 'Visum erforderlich',
      visaStatus: 'Visumstatus',
      dietaryNeeds: 'Ernährungshinweise',
      accessibilityNeeds: 'Barrierefreiheit',
      arrival: 'Anreise',
      departure: 'Abreise',
    },
    roles: {
      delegation_lead: 'Delegationsleitung',
      member: 'Delegationsmitglied',
      staff: 'Delegationsbetreuung',
      press: 'Presse',
      guest: 'Gast',
    },
    categories: {
      business: 'Wirtschaft',
      science: 'Wissenschaft',
      politics: 'Politik',
      administration: 'Verwaltung',
      other: 'Sonstige',
    },
    statuses: {
      applied: 'Angemeldet',
      confirmed: 'Bestätigt',
      waitlisted: 'Warteliste',
      rejected: 'Abgelehnt',
      cancelled: 'Storniert',
      attended: 'Teilgenommen',
      no_show: 'Nicht erschienen',
    },
    visaStatuses: {
      not_needed: 'Nicht erforderlich',
      to_apply: 'Visum beantragen',
      applied: 'Beantragt',
      granted: 'Erteilt',
      refused: 'Abgelehnt',
    },
  },
  en: {
    columns: {
      title: 'Title',
      firstName: 'First name',
      lastName: 'Last name',
      organisation: 'Organisation',
      position: 'Position',
      email: 'Email',
      phone: 'Phone',
      role: 'Role',
      category: 'Category',
      status: 'Status',
      waitlistPosition: 'Waitlist position',
      nationality: 'Nationality',
      passportNumber: 'Passport number',
      issuingCountry: 'Passport issued by',
      expiresOn: 'Passport expires',
      expiryWarning: 'Passport expiry warning',
      visaRequired: 'Visa required',
      visaStatus: 'Visa status',
      dietaryNeeds: 'Dietary needs',
      accessibilityNeeds: 'Accessibility needs',
      arrival: 'Arrival',
      departure: 'Departure',
    },
    roles: {
      delegation_lead: 'Delegation lead',
      member: 'Member',
      staff: 'Staff',
      press: 'Press',
      guest: 'Guest',
    },
    categories: {
      business: 'Business',
      science: 'Science',
      politics: 'Politics',
      administration: 'Administration',
      other: 'Other',
    },
    statuses: {
      applied: 'Applied',
      confirmed: 'Confirmed',
      waitlisted: 'Waitlisted',
      rejected: 'Rejected',
      cancelled: 'Cancelled',
      attended: 'Attended',
      no_show: 'No-show',
    },
    visaStatuses: {
      not_needed: 'Not needed',
      to_apply: 'To apply for',
      applied: 'Applied for',
      granted: 'Granted',
      refused: 'Refused',
    },
  },
};
