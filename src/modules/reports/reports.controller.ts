import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { NotFound } from '../../common/problem/domain-error.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
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
}
