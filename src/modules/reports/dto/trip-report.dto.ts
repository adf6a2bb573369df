import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ApiDate, ApiInteger, ApiText, ApiUuid } from '../../../common/openapi.js';
import { FileLanguageQuery } from '../../../common/spreadsheet/file-language.dto.js';
import { REPORT_FORMATS, type ReportFormat } from '../report-files.js';

/** How a report is handed out. */
export class ReportFormatQuery extends FileLanguageQuery {
  /**
   * `json` (default); `csv` (one table: a line per figure); `xlsx` (a worksheet per table,
   * number cells); `pdf` (A4: headline figures, bar charts, the tables).
   */
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

/** A figure, and where its rows are: a list endpoint with the filter that reproduces it. */
export class CountDto {
  @ApiInteger()
  count: number;
  /**
   * The list endpoint (path and query) that returns exactly the rows counted, e.g.
   * `/api/v1/agreements?tripId=…&status=signed`. Null where no single list holds the rows: the
   * annual report's participations and meetings held span trips (each trip lists its own), and
   * rows without a value (participants with no organisation).
   */
  @ApiProperty({ type: String, nullable: true })
  list: string | null;
}

/** One value of a breakdown (a status, a kind, a country…) and its figure. */
export class BreakdownDto extends CountDto {
  /** The value counted; null for rows without one (e.g. participants with no organisation). */
  @ApiProperty({ type: String, nullable: true })
  key: string | null;
}

export class ReportTripDto {
  @ApiUuid()
  id: string;
  @ApiText(300)
  title: string;
  status: string;
  @ApiDate()
  startDate: string;
  @ApiDate()
  endDate: string;
}

export class ParticipantFiguresDto {
  total: CountDto;
  byStatus: BreakdownDto[];
  byRole: BreakdownDto[];
  byCategory: BreakdownDto[];
  /** Those taking part (confirmed, attended) by the kind of organisation they represent. */
  byOrganisationKind: BreakdownDto[];
  /** Those taking part by their organisation's country (ISO 3166-1 alpha-2). */
  byOrganisationCountry: BreakdownDto[];
}

export class StationFiguresDto extends BreakdownDto {
  @ApiText(100)
  city: string;
  /** Official appointments at this station. */
  officialAppointments: CountDto;
}

export class MeetingFiguresDto {
  /** Meetings not cancelled. */
  total: CountDto;
  /**
   * Meetings `held` (or `confirmed` while the trip is under way), other than `travel` and
   * `other`: the "official appointments" agencies report.
   */
  officialAppointments: CountDto;
  /** Meetings not cancelled, by kind. */
  byKind: BreakdownDto[];
  /** Every meeting by status, cancelled ones included. */
  byStatus: BreakdownDto[];
  /** Meetings not cancelled, per station (`key` is the station's id), in the trip's order. */
  byStation: StationFiguresDto[];
}

export class CounterpartFiguresDto {
  /** Distinct organisations met in official appointments. */
  total: CountDto;
  byCountry: BreakdownDto[];
  byKind: BreakdownDto[];
}

export class SignedFiguresDto {
  total: CountDto;
  byCategory: BreakdownDto[];
  byKind: BreakdownDto[];
}

export class AgreementFiguresDto {
  total: CountDto;
  byStatus: BreakdownDto[];
  byCategory: BreakdownDto[];
  byKind: BreakdownDto[];
  /** Signed, in force or expired since: those that were signed. */
  signed: SignedFiguresDto;
}

export class InvitationFiguresDto {
  sent: CountDto;
  accepted: CountDto;
  declined: CountDto;
}

export class MessageFiguresDto {
  sent: CountDto;
  failed: CountDto;
}

/** A trip in figures (`GET /trips/{id}/report`). */
export class TripReportDto {
  trip: ReportTripDto;
  generatedAt: Date;
  participants: ParticipantFiguresDto;
  /** Distinct organisations represented by those taking part. */
  organisationsRepresented: CountDto;
  stations: CountDto;
  meetings: MeetingFiguresDto;
  counterpartsMet: CounterpartFiguresDto;
  agreements: AgreementFiguresDto;
  /** Open follow-ups of the trip's agreements. */
  openFollowUps: CountDto;
  invitations: InvitationFiguresDto;
  messages: MessageFiguresDto;
}
