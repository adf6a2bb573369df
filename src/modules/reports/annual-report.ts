import type { AnnualReportDto, YearFiguresDto } from './dto/annual-report.dto.js';
import type { BreakdownDto, CountDto } from './dto/trip-report.dto.js';
import type { YearFigure } from './reports.repository.js';

const API = '/api/v1';

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
  return {
    year,
    trips: {
      total: total('trips.kind'),
      byKind: breakdown('trips.kind'),
      byStatus: breakdown('trips.status', (key) => `${API}/trips?year=${year}&status=${key}`),
    },
    countriesVisited: { count: countries.length, countries },
    participants: total('participants'),
    peopleReached: total('peopleReached'),
    organisationsReached: {
      total: total('organisationsReached'),
      byKind: breakdown('organisationsReached'),
    },
    meetingsHeld: total('meetingsHeld'),
    agreementsSigned: {
      total: total('agreementsSigned.category'),
      byCategory: breakdown('agreementsSigned.category'),
      byKind: breakdown('agreementsSigned.kind'),
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
