import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import {
  CreateParticipantDto,
  ListParticipantsQuery,
  ParticipantDto,
  ParticipantTransitionDto,
  UpdateParticipantDto,
} from './dto/participant.dto.js';
import { ParticipantsService } from './participants.service.js';

@ApiTags('participants')
@Controller('trips/:id/participants')
export class ParticipantsController {
  constructor(private readonly participants: ParticipantsService) {}

  /** The delegation list, in registration order. */
  @Get()
  @Requires('participants:read')
  @ApiPageResponse(ParticipantDto)
  @ApiProblems(400, 404)
  async list(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @Query() query: ListParticipantsQuery,
  ): Promise<Page<ParticipantDto>> {
    const page = await this.participants.list(actor, tripId, query);
    return { items: page.items.map((p) => ParticipantDto.from(p)), nextCursor: page.nextCursor };
  }

  /**
   * Add a contact (by `contactId`, or inline `contact` matched by email) to the trip.
   * They land confirmed, waitlisted or applied by the trip's rules.
   */
  @Post()
  @Requires('participants:write')
  @ApiProblems(400, 404, 409, 422)
  async create(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @Body() dto: CreateParticipantDto,
  ): Promise<ParticipantDto> {
    return ParticipantDto.from(await this.participants.create(actor, tripId, dto));
  }

  /** One participant. */
  @Get(':participantId')
  @Requires('participants:read')
  @ApiProblems(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('participantId') id: string,
  ): Promise<ParticipantDto> {
    return ParticipantDto.from(await this.participants.get(actor, tripId, id));
  }

  /** Change some fields; the status changes through transitions. */
  @Patch(':participantId')
  @Requires('participants:write')
  @ApiProblems(400, 404, 409, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('participantId') id: string,
    @Body() dto: UpdateParticipantDto,
    @IfMatch() version?: number,
  ): Promise<ParticipantDto> {
    return ParticipantDto.from(await this.participants.update(actor, tripId, id, dto, version));
  }

  /** Move along the lifecycle; a freed seat promotes from the waitlist at once. */
  @Post(':participantId/transitions')
  @Requires('participants:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 409, 412, 422)
  async transition(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('participantId') id: string,
    @Body() dto: ParticipantTransitionDto,
    @IfMatch() version?: number,
  ): Promise<ParticipantDto> {
    return ParticipantDto.from(
      await this.participants.transition(actor, tripId, id, dto.to, version),
    );
  }
}
