import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { DelegationList } from './delegation-list.js';
import { ExportParticipantsQuery } from './dto/export.dto.js';

@ApiTags('participants')
@Controller('trips/:id/participants/export')
export class DelegationListController {
  constructor(private readonly delegationList: DelegationList) {}

  /**
   * Download the delegation list of a trip as CSV or XLSX.
   *
   * @remarks
   * One row per participant in registration order: names, organisation, role, category,
   * status, waitlist position, nationality, passport expiry, visa and needs. Headers and
   * values are words, not codes, in the agency's language (`defaultLocale`; `lang`
   * overrides it). CSV is UTF-8 with a BOM and CRLF line ends, separated by `;` for German
   * and `,` for English unless `delimiter` says otherwise, with dates as `25.09.2022` in
   * German and `2022-09-25` in English; a cell a spreadsheet would run as a formula starts
   * with `'`. XLSX has date, yes/no and number cells, a frozen header row with filters and
   * columns sized to their content. Passport numbers only with `includePassportNumbers=true`
   * and `pii:read`. Every export is audited.
   */
  @Get()
  @Requires('participants:read')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({
    description: 'The file, as an attachment.',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiProblems(400, 403, 404)
  async export(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @Query() query: ExportParticipantsQuery,
  ): Promise<StreamableFile> {
    const file = await this.delegationList.export(actor, tripId, query);
    return new StreamableFile(file.body, {
      type: file.contentType,
      disposition: file.disposition,
      length: file.body.length,
    });
  }
}
