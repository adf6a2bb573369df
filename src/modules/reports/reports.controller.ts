import { applyDecorators, Controller, Get, Query, StreamableFile } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { NotFound } from '../../common/problem/domain-error.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { EXPORT_CONTENT_TYPES } from '../../common/spreadsheet/spreadsheet.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { annualReport } from './annual-report.js';
import { AnnualReportDto, AnnualReportQuery } from './dto/annual-report.dto.js';
import { ReportFormatQuery, TripReportDto } from './dto/trip-report.dto.js';
import {
  annualReportDocument,
  tripReportDocument,
  type ReportDocument,
} from './report-document.js';
import { reportFile } from './report-files.js';
import { ReportsRepository, type ReportingAgency } from './reports.repository.js';
import { tripReport } from './trip-report.js';

const FILE_TYPES = [EXPORT_CONTENT_TYPES.csv, EXPORT_CONTENT_TYPES.xlsx, 'application/pdf'];

/** JSON, or the file `format` asks for. */
const ApiReport = (dto: new () => unknown) =>
  applyDecorators(
    ApiExtraModels(dto),
    ApiProduces('application/json', ...FILE_TYPES),
    ApiOkResponse({
      description: 'The report as JSON, or with `format` as a CSV, XLSX or PDF attachment.',
      content: {
        'application/json': { schema: { $ref: getSchemaPath(dto) } },
        ...Object.fromEntries(
          FILE_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
        ),
      },
    }),
  );

@ApiTags('reports')
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsRepository) {}

  /**
   * A trip in figures: participants, organisations, meetings, counterparts, agreements.
   *
   * @remarks
   * Participants by status, role and category, and those taking part (confirmed, attended) by
   * their organisation's kind and country; organisations represented; stations; meetings by
   * kind, status and station, cancelled ones not counted but in `byStatus`; "official
   * appointments": meetings `held` (or `confirmed` while the trip is under way) other than
   * `travel` and `other`; organisations met in them by country and kind; the trip's
   * agreements by status, category and kind, and those signed; open follow-ups; invitations
   * sent, accepted and declined; messages sent and failed. Every figure carries `list`: the
   * list endpoint and filter that shows its rows, or null where no list filter reproduces it
   * yet. Computed by PostgreSQL in one statement. With `format`: a CSV (a line per figure,
   * named by table, code and label), an XLSX (a worksheet per table, number cells) or a PDF
   * (headline figures, meetings per station and agreements by category as bar charts, the
   * tables), in the agency's language unless `lang` says otherwise. Viewers may read it; API
   * keys need `reports:read`.
   */
  @Get('trips/:id/report')
  @Requires('reports:read')
  @ApiReport(TripReportDto)
  @ApiProblems(400, 404)
  async trip(
    @CurrentActor() actor: Actor,
    @UuidParam('id', "The trip's id.") id: string,
    @Query() query: ReportFormatQuery,
  ): Promise<TripReportDto | StreamableFile> {
    const [trip, agency] = await Promise.all([
      this.reports.trip(actor.tenantId, id),
      this.reports.agency(actor.tenantId),
    ]);
    if (!trip) throw new NotFound('trip');
    const report = tripReport(trip, await this.reports.tripFigures(id), new Date());
    return this.handOut(report, query, agency, (locale) =>
      tripReportDocument(report, agency, locale),
    );
  }

  /**
   * The agency's year in figures, with the year before beside it.
   *
   * @remarks
   * Trips starting in the year (not drafts or cancelled) by kind and status — delegation and
   * market-exploration trips, incoming delegations received, trade-fair stands, virtual
   * missions, information events; countries visited (stations of trips abroad); participants
   * taking part; people reached (distinct contacts who registered for or took part in any of
   * the year's trips, each once, rejected registrations not counted); organisations reached
   * (represented by participants or met in official appointments) by kind; official
   * appointments held; agreements signed by category and kind. Meetings and signatures count in
   * the year of their day in the agency's timezone. `previous` has the same figures for the
   * year before. Computed by PostgreSQL in one statement. With `format`: CSV, XLSX or PDF
   * as for the trip report, each figure beside the year before's; the PDF charts trips by
   * kind and agreements signed by category. Viewers may read it; API keys need
   * `reports:read`.
   */
  @Get('reports/annual')
  @Requires('reports:read')
  @ApiReport(AnnualReportDto)
  @ApiProblems(400)
  async annual(
    @CurrentActor() actor: Actor,
    @Query() query: AnnualReportQuery,
  ): Promise<AnnualReportDto | StreamableFile> {
    const [rows, agency] = await Promise.all([
      this.reports.yearFigures(actor.tenantId, query.year - 1, query.year),
      this.reports.agency(actor.tenantId),
    ]);
    const report = annualReport(query.year, agency.timeZone, rows, new Date());
    return this.handOut(report, query, agency, (locale) =>
      annualReportDocument(report, agency, locale),
    );
  }

  /** The report as JSON, or as the file asked for in the language asked for. */
  private async handOut<Report>(
    report: Report,
    { format = 'json', lang, delimiter }: ReportFormatQuery,
    agency: ReportingAgency,
    document: (locale: ReportingAgency['locale']) => ReportDocument,
  ): Promise<Report | StreamableFile> {
    if (format === 'json') return report;
    const file = await reportFile(document(lang ?? agency.locale), format, {
      delimiter,
      accentColor: agency.accentColor,
      day: agency.today,
    });
    return new StreamableFile(file.body, {
      type: file.contentType,
      disposition: file.disposition,
      length: file.body.length,
    });
  }
}
