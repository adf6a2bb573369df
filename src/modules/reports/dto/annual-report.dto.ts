import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ApiCountries, ApiInteger, ApiText } from '../../../common/openapi.js';
import { BreakdownDto, CountDto, ReportFormatQuery } from './trip-report.dto.js';

export class AnnualReportQuery extends ReportFormatQuery {
  /** The calendar year, in the agency's timezone. */
  @ApiProperty({ type: 'integer', minimum: 1901, maximum: 2199, example: 2023 })
  @Type(() => Number)
  @IsInt()
  @Min(1901)
  @Max(2199)
  year: number;
}

export class YearTripsDto {
  /** Trips starting in the year, not drafts and not cancelled. */
  total: CountDto;
  /** Delegation and market-exploration trips, incoming delegations, trade-fair stands, … */
  byKind: BreakdownDto[];
  byStatus: BreakdownDto[];
}

export class CountriesVisitedDto {
  /** Distinct countries of the stations of the year's trips abroad (delegations, market exploration, trade fairs). */
  @ApiInteger()
  count: number;
  @ApiCountries()
  countries: string[];
}

export class OrganisationsReachedDto {
  /**
   * Distinct organisations represented by participants of the year's trips or met in
   * its official appointments.
   */
  total: CountDto;
  byKind: BreakdownDto[];
}

export class AgreementsSignedDto {
  total: CountDto;
  byCategory: BreakdownDto[];
  byKind: BreakdownDto[];
}

/** One year of the agency in figures. */
export class YearFiguresDto {
  @ApiInteger()
  year: number;
  trips: YearTripsDto;
  countriesVisited: CountriesVisitedDto;
  /** Participations taking part (confirmed, attended) in the year's trips. */
  participants: CountDto;
  /** Distinct people who registered for or took part in any of the year's trips, each once. */
  peopleReached: CountDto;
  organisationsReached: OrganisationsReachedDto;
  /** Official appointments held in the year (not `travel` or `other`), by the agency's calendar. */
  meetingsHeld: CountDto;
  /** Agreements signed in the year (signed, in force, expired or terminated since). */
  agreementsSigned: AgreementsSignedDto;
}

/** The agency's year, and the year before beside it (`GET /reports/annual`). */
export class AnnualReportDto {
  @ApiInteger()
  year: number;
  /** The agency's timezone: meetings and signatures belong to the year of their day in it. */
  @ApiText(64)
  timeZone: string;
  generatedAt: Date;
  current: YearFiguresDto;
  previous: YearFiguresDto;
}
