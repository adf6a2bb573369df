import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { NotFound } from '../../common/problem/domain-error.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { annualReport } from './annual-report.js';
import { AnnualReportDto, AnnualReportQuery } from './dto/annual-report.dto.js';
import { TripReportDto } from './dto/trip-report.dto.js';
import { ReportsRepository } from './reports.repository.js';
import { tripReport } from './trip-report.js';

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
   * yet. Computed by PostgreSQL in one statement. Viewers may read it; API keys need
   * `reports:read`.
   */
  @Get('trips/:id/report')
  @Requires('reports:read')
  @ApiProblems(400, 404)
  async trip(
    @CurrentActor() actor: Actor,
    @UuidParam('id', "The trip's id.") id: string,
  ): Promise<TripReportDto> {
    const trip = await this.reports.trip(actor.tenantId, id);
    if (!trip) throw new NotFound('trip');
    return tripReport(trip, await this.reports.tripFigures(id), new Date());
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
   * year before. Computed by PostgreSQL in one statement. Viewers may read it; API keys need
   * `reports:read`.
   */
  @Get('reports/annual')
  @Requires('reports:read')
  @ApiProblems(400)
  async annual(
    @CurrentActor() actor: Actor,
    @Query() query: AnnualReportQuery,
  ): Promise<AnnualReportDto> {
    const [rows, timeZone] = await Promise.all([
      this.reports.yearFigures(actor.tenantId, query.year - 1, query.year),
      this.reports.timeZone(actor.tenantId),
    ]);
    return annualReport(query.year, timeZone, rows, new Date());
  }
}
