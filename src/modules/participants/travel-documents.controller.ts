import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { PutTravelDocumentDto, TravelDocumentDto } from './dto/travel-document.dto.js';
import { TravelDocumentsService } from './travel-documents.service.js';

@ApiTags('participants')
@Controller('trips/:id/participants/:participantId/travel-document')
export class TravelDocumentsController {
  constructor(private readonly documents: TravelDocumentsService) {}

  /** The passport in full (personal data: `pii:read`, organisers and up; each read is audited). */
  @Get()
  @Requires('pii:read')
  @ApiProblems(400, 404)
  get(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('participantId') participantId: string,
  ): Promise<TravelDocumentDto> {
    return this.documents.get(actor, tripId, participantId);
  }

  /**
   * Record or replace the passport. The number is encrypted at rest; the
   * answer shows it masked unless you may read personal data.
   */
  @Put()
  @Requires('participants:write')
  @ApiProblems(400, 404, 412)
  put(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('participantId') participantId: string,
    @Body() dto: PutTravelDocumentDto,
    @IfMatch() version?: number,
  ): Promise<TravelDocumentDto> {
    return this.documents.put(actor, tripId, participantId, dto, version);
  }

  /** Delete the passport data. */
  @Delete()
  @Requires('participants:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('participantId') participantId: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.documents.delete(actor, tripId, participantId, version);
  }
}
