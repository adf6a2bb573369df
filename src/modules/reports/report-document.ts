import type { Locale } from '../identity/roles.js';
import { countryName, dateRange, instantIn } from '../notifications/templates/format.js';
import type { AnnualReportDto, YearFiguresDto } from './dto/annual-report.dto.js';
import type { BreakdownDto, CountDto, TripReportDto } from './dto/trip-report.dto.js';
import {
  REPORT_WORDS,
  type ReportFigure,
  type ReportTableName,
  type ReportWords,
} from './report-words.js';

/** One line of a report table: the code counted, its label, and a figure per column. */
export interface ReportRow {
  key: string | null;
  label: string;
  values: number[];
}

export interface ReportTable {
  name: ReportTableName;
  title: string;
  rows: ReportRow[];
}

/**
 * A report as the files show it, in one language: what the CSV, the XLSX
 * and the PDF write, each its own way (report-files.ts). Every table has
 * the same value columns: one count for a trip, the year and the year
 * before for the annual report.
 */
export interface ReportDocument {
  locale: Locale;
  title: string;
  subtitle: string;
  /** "Generated …" with the time in the agency's zone. */
  footnote: string;
  /** The file name before its extension. */
  fileName: string;
  columns: string[];
  /** The PDF's large figures (rows of the headline table). */
  highlights: ReportRow[];
  tables: ReportTable[];
  /** Tables the PDF draws as bar charts too. */
  charts: ReportTableName[];
}

type Labeller = (key: string) => string;

/** How each table's codes read in the language (countries by Intl, stations by their city). */
function labellers(words: ReportWords, locale: Locale): Record<string, Labeller> {
  const from = (labels: Record<string, string>) => (key: string) => labels[key] ?? key;
  return {
    participantsByStatus: from(words.participantStatuses),
    participantsByRole: from(words.participantRoles),
    participantsByCategory: from(words.participantCategories),
    participantsByOrganisationKind: from(words.organisationKinds),
    participantsByCountry: (code) => countryName(locale, code),
    meetingsByKind: from(words.meetingKinds),
    meetingsByStatus: from(words.meetingStatuses),
    counterpartsByCountry: (code) => countryName(locale, code),
    counterpartsByKind: from(words.organisationKinds),
    agreementsByStatus: from(words.agreementStatuses),
    agreementsByCategory: from(words.agreementCategories),
    agreementsByKind: from(words.agreementKinds),
    signedByCategory: from(words.agreementCategories),
    signedByKind: from(words.agreementKinds),
    tripsByKind: from(words.tripKinds),
    tripsByStatus: from(words.tripStatuses),
    countriesVisited: (code) => countryName(locale, code),
    organisationsReachedByKind: from(words.organisationKinds),
    headline: (key) => words.figures[key as ReportFigure],
  };
}

/** A table from one breakdown per column, keys in the order of their first appearance. */
function breakdownTable(
  name: ReportTableName,
  columns: BreakdownDto[][],
  words: ReportWords,
  label: Labeller,
): ReportTable {
  const keys = [...new Set(columns.flatMap((column) => column.map((figure) => figure.key)))];
  return {
    name,
    title: words.tables[name],
    rows: keys.map((key) => ({
      key,
      label: key === null ? words.none : label(key),
      values: columns.map((column) => column.find((figure) => figure.key === key)?.count ?? 0),
    })),
  };
}

function headline(
  figures: [ReportFigure, ...CountDto[]][],
  words: ReportWords,
): { table: ReportTable; row: (figure: ReportFigure) => ReportRow } {
  const rows = figures.map(([key, ...counts]) => ({
    key,
    label: words.figures[key],
    values: counts.map((figure) => figure.count),
  }));
  return {
    table: { name: 'headline', title: words.tables.headline, rows },
    row: (figure) => rows.find((row) => row.key === figure)!,
  };
}

function generated(words: ReportWords, locale: Locale, at: Date, timeZone: string): string {
  return `${words.generatedAt} ${instantIn(locale, at, timeZone)}`;
}

/** The trip report's document: headline figures, every breakdown, and two charts. */
export function tripReportDocument(
  report: TripReportDto,
  agency: { name: string; timeZone: string },
  locale: Locale,
): ReportDocument {
  const words = REPORT_WORDS[locale];
  const label = labellers(words, locale);
  const table = (name: ReportTableName, figures: BreakdownDto[]) =>
    breakdownTable(name, [figures], words, label[name]);
  const stations = (name: ReportTableName, count: (index: number) => number): ReportTable => ({
    name,
    title: words.tables[name],
    rows: report.meetings.byStation.map((station, index) => ({
      key: station.key,
      label: station.city,
      values: [count(index)],
    })),
  });
  const { participants, meetings, agreements, invitations, messages } = report;
  const figures = headline(
    [
      ['participants', participants.total],
      ['organisationsRepresented', report.organisationsRepresented],
      ['stations', report.stations],
      ['meetings', meetings.total],
      ['officialAppointments', meetings.officialAppointments],
      ['counterpartsMet', report.counterpartsMet.total],
      ['agreements', agreements.total],
      ['agreementsSigned', agreements.signed.total],
      ['openFollowUps', report.openFollowUps],
      ['invitationsSent', invitations.sent],
      ['invitationsAccepted', invitations.accepted],
      ['invitationsDeclined', invitations.declined],
      ['messagesSent', messages.sent],
      ['messagesFailed', messages.failed],
    ],
    words,
  );
  return {
    locale,
    title: `${words.tripReport}: ${report.trip.title}`,
    subtitle: `${agency.name} · ${dateRange(locale, report.trip.startDate, report.trip.endDate)}`,
    footnote: generated(words, locale, report.generatedAt, agency.timeZone),
    fileName: `${report.trip.title} ${words.tripReport}`,
    columns: [words.count],
    highlights: (
      ['officialAppointments', 'agreementsSigned', 'participants', 'counterpartsMet'] as const
    ).map(figures.row),
    tables: [
      figures.table,
      table('participantsByStatus', participants.byStatus),
      table('participantsByRole', participants.byRole),
      table('participantsByCategory', participants.byCategory),
      table('participantsByOrganisationKind', participants.byOrganisationKind),
      table('participantsByCountry', participants.byOrganisationCountry),
      stations('meetingsByStation', (index) => meetings.byStation[index].count),
      stations(
        'officialAppointmentsByStation',
        (index) => meetings.byStation[index].officialAppointments.count,
      ),
      table('meetingsByKind', meetings.byKind),
      table('meetingsByStatus', meetings.byStatus),
      table('counterpartsByCountry', report.counterpartsMet.byCountry),
      table('counterpartsByKind', report.counterpartsMet.byKind),
      table('agreementsByStatus', agreements.byStatus),
      table('agreementsByCategory', agreements.byCategory),
      table('agreementsByKind', agreements.byKind),
      table('signedByCategory', agreements.signed.byCategory),
      table('signedByKind', agreements.signed.byKind),
    ],
    charts: ['meetingsByStation', 'agreementsByCategory'],
  };
}

/** The annual report's document: every figure for the year and the year before, two charts. */
export function annualReportDocument(
  report: AnnualReportDto,
  agency: { name: string },
  locale: Locale,
): ReportDocument {
  const words = REPORT_WORDS[locale];
  const label = labellers(words, locale);
  const years: YearFiguresDto[] = [report.current, report.previous];
  const table = (name: ReportTableName, figures: (year: YearFiguresDto) => BreakdownDto[]) =>
    breakdownTable(name, years.map(figures), words, label[name]);
  const both = (figure: (year: YearFiguresDto) => CountDto): CountDto[] => years.map(figure);
  const countries: BreakdownDto[][] = years.map((year) =>
    year.countriesVisited.countries.map((key) => ({ key, count: 1, list: null })),
  );
  const figures = headline(
    [
      ['trips', ...both((year) => year.trips.total)],
      ['countriesVisited', ...both((year) => ({ count: year.countriesVisited.count, list: null }))],
      ['participants', ...both((year) => year.participants)],
      ['peopleReached', ...both((year) => year.peopleReached)],
      ['organisationsReached', ...both((year) => year.organisationsReached.total)],
      ['meetingsHeld', ...both((year) => year.meetingsHeld)],
      ['agreementsSigned', ...both((year) => year.agreementsSigned.total)],
    ],
    words,
  );
  return {
    locale,
    title: `${words.annualReport} ${report.year}`,
    subtitle: words.agencyYear(agency.name, report.year),
    footnote: generated(words, locale, report.generatedAt, report.timeZone),
    fileName: `${agency.name} ${words.annualReport} ${report.year}`,
    columns: [String(report.year), String(report.year - 1)],
    highlights: (['trips', 'peopleReached', 'meetingsHeld', 'agreementsSigned'] as const).map(
      figures.row,
    ),
    tables: [
      figures.table,
      table('tripsByKind', (year) => year.trips.byKind),
      table('tripsByStatus', (year) => year.trips.byStatus),
      breakdownTable('countriesVisited', countries, words, label.countriesVisited),
      table('organisationsReachedByKind', (year) => year.organisationsReached.byKind),
      table('signedByCategory', (year) => year.agreementsSigned.byCategory),
      table('signedByKind', (year) => year.agreementsSigned.byKind),
    ],
    charts: ['tripsByKind', 'signedByCategory'],
  };
}
