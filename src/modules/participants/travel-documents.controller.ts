import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { PutTravelDocumentDto, TravelDocumentDto } from './dto/travel-document.dto.js';
import { TravelDocumentsService } from './travel-documents.service.js';

const TRIP_ID = "The trip's id.";
const PARTICIPANT_ID = "The participant's id (not the contact's).";

@ApiTags('participants')
@Controller('trips/:id/participants/:participantId/travel-document')
export class TravelDocumentsController {
  constructor(private readonly documents: TravelDocumentsService) {}

  /**
   * A participant's passport, number in full.
   *
   * @remarks
   * Personal data: every read is audited. Shows whether the passport is valid long enough
   * (`validityRequiredUntil`: the trip's end plus the agency's margin; `expiryWarning` when
   * it is not). 404 when no passport is on file.
   */
  @Get()
  @Requires('pii:read')
  @ApiProblems(400, 404)
  get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('participantId', PARTICIPANT_ID) participantId: string,
  ): Promise<TravelDocumentDto> {
    return this.documents.get(actor, tripId, participantId);
  }

  /**
   * Record or replace a participant's passport.
   *
   * @remarks
   * The number (spaces and dashes dropped, letters upper-cased) is encrypted at rest; the
   * answer shows it masked (`*****0T47`) unless you may read personal data (`pii:read`). A
   * passport expiring before the trip's end plus the agency's margin is accepted with
   * `expiryWarning: true` and counted in the trip's readiness. `expiresOn` must not be
   * before `issuedOn` (400). `If-Match` applies to a replacement (412 when stale, or when
   * the passport was deleted since). An erased person's passport cannot be recorded (409
   * `contact_erased`). Audited, without the number. Deleted automatically once the trip
   * ended more than the agency's retention period ago.
   */
  @Put()
  @Requires('participants:write')
  @ApiProblems(400, 404, 409, 412)
  put(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('participantId', PARTICIPANT_ID) participantId: string,
    @Body() dto: PutTravelDocumentDto,
    @IfMatch() version?: number,
  ): Promise<TravelDocumentDto> {
    return this.documents.put(actor, tripId, participantId, dto, version);
  }

  /**
   * Delete a participant's passport data.
   *
   * @remarks
   * 404 when none is on file. 412 on a stale `If-Match`. Audited.
   */
  @Delete()
  @Requires('participants:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('participantId', PARTICIPANT_ID) participantId: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.documents.delete(actor, tripId, participantId, version);
  }
}
