import type { AnnualReportDto, YearFiguresDto } from './dto/annual-report.dto.js';
import type { BreakdownDto, CountDto } from './dto/trip-report.dto.js';
import { TRIP_STATUSES } from '../trips/trips.constants.js';
import { UNCOUNTED_TRIP_STATUSES } from './reports.constants.js';
import type { YearFigure } from './reports.repository.js';

const API = '/api/v1';

/** The statuses of trips a year counts. */
const COUNTED = TRIP_STATUSES.filter((status) => !UNCOUNTED_TRIP_STATUSES.includes(status)).join(
  ',',
);

const byCount = (a: BreakdownDto, b: BreakdownDto) =>
  b.count - a.count || String(a.key).localeCompare(String(b.key));

/** One year's figures from the rows of `yearFigures`. */
function yearFigures(year: number, rows: YearFigure[]): YearFiguresDto {
  const of = (dimension: string) =>
    rows.filter((row) => row.year === year && row.dimension === dimension);
  const breakdown = (dimension: string, list: ((key: string) => string) | null = null) =>
    of(dimension)
      .map(({ key, count }) => ({ key, count, list: list && key ? list(key) : null }))
      .sort(byCount);
  const total = (dimension: string, list: string | null = null): CountDto => ({
    count: of(dimension).reduce((sum, row) => sum + row.count, 0),
    list,
  });
  const countries = of('countriesVisited')
    .map((row) => row.key!)
    .sort();
  const trips = `${API}/trips?year=${year}&status=${COUNTED}`;
  const organisations = `${API}/partner-organisations?reachedIn=${year}`;
  const signed = `${API}/agreements?signed=true&year=${year}`;
  return {
    year,
    trips: {
      total: total('trips.kind', trips),
      byKind: breakdown('trips.kind', (key) => `${trips}&kind=${key}`),
      byStatus: breakdown('trips.status', (key) => `${API}/trips?year=${year}&status=${key}`),
    },
    countriesVisited: { count: countries.length, countries },
    // Participations across trips: each trip's list shows its own.
    participants: total('participants'),
    peopleReached: total('peopleReached', `${API}/contacts?reachedIn=${year}`),
    organisationsReached: {
      total: total('organisationsReached', organisations),
      byKind: breakdown('organisationsReached', (key) => `${organisations}&kind=${key}`),
    },
    // Meetings are listed per trip.
    meetingsHeld: total('meetingsHeld'),
    agreementsSigned: {
      total: total('agreementsSigned.category', signed),
      byCategory: breakdown('agreementsSigned.category', (key) => `${signed}&category=${key}`),
      byKind: breakdown('agreementsSigned.kind', (key) => `${signed}&kind=${key}`),
    },
  };
}

/** The agency's year and the one before, from one statement's rows. */
export function annualReport(
  year: number,
  timeZone: string,
  rows: YearFigure[],
  generatedAt: Date,
): AnnualReportDto {
  return {
    year,
    timeZone,
    generatedAt,
    current: yearFigures(year, rows),
    previous: yearFigures(year - 1, rows),
  };
}
