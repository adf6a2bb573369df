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
   * The delegation list as a spreadsheet (CSV or XLSX): names, organisation,
   * role, category, status, visa status and passport expiry. Passport numbers
   * only with `includePassportNumbers=true` and `pii:read`.
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
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.body.length,
    });
  }
}
