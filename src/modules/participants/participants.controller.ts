import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
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
import { ParticipantReads } from './participant-reads.js';
import { ParticipantsService } from './participants.service.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const TRIP_ID = "The trip's id.";
const PARTICIPANT_ID = "The participant's id (not the contact's).";

@ApiTags('participants')
@Controller('trips/:id/participants')
export class ParticipantsController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly reads: ParticipantReads,
  ) {}

  /**
   * The delegation list, in registration order.
   *
   * @remarks
   * Everyone on the trip in the order they arrived, which is also the order of the waitlist.
   * Filter by `status`, `role`, `category`, `organisationId`, `visaStatus` and
   * `updatedSince` to pick up changes since your last sync (a moved waitlist position counts
   * as a change). Travel documents are never in the list. Cursor-paginated: pass
   * `nextCursor` as `cursor`. 404 for an unknown trip.
   */
  @Get()
  @Requires('participants:read')
  @ApiPageResponse(ParticipantDto)
  @ApiProblems(400, 404)
  async list(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @Query() query: ListParticipantsQuery,
  ): Promise<Page<ParticipantDto>> {
    const page = await this.reads.page(actor.tenantId, tripId, query);
    return { items: page.items.map((p) => ParticipantDto.from(p)), nextCursor: page.nextCursor };
  }

  /**
   * Add a contact to the trip.
   *
   * @remarks
   * Give exactly one of `contactId` (one of your contacts) or `contact`: an inline person,
   * matched by email among your contacts, else created with the participant (400 when both or
   * neither). Where they land follows the trip's rules: `applied` when the trip needs
   * approval; else `confirmed` when a seat is free within the capacity and their
   * organisation's cap and nobody they would overtake is waiting, otherwise `waitlisted` at
   * the end of the line (`waitlistPosition`). Staff never take a seat and are always
   * confirmed. `organisationId` defaults to the contact's. A contact already on the trip is
   * 409 `already_on_trip`, an erased one 409 `contact_erased`, a completed or cancelled trip
   * 409 `trip_closed`. Their invitation to the trip, if any, counts as accepted. Seat
   * decisions of a trip are taken one at a time, so it is never overbooked. Audited.
   */
  @Post()
  @Idempotent()
  @Requires('participants:write')
  @Created(ParticipantDto)
  @ApiProblems(400, 404, 409, 422)
  async create(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @Body() dto: CreateParticipantDto,
  ): Promise<ParticipantDto> {
    return ParticipantDto.from(await this.participants.create(actor, tripId, dto));
  }

  /**
   * One participant of a trip.
   *
   * @remarks
   * Their role, category, status and place on the waitlist, needs, visa status and answers;
   * the passport is at `.../travel-document`. The `ETag` (the `version`) serves `If-Match`
   * on changes; `If-None-Match` with it answers 304 while nothing changed.
   */
  @Get(':participantId')
  @Requires('participants:read')
  @ApiProblems(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('participantId', PARTICIPANT_ID) id: string,
  ): Promise<ParticipantDto> {
    return ParticipantDto.from(await this.reads.one(actor.tenantId, tripId, id));
  }

  /**
   * Change some fields of a participant.
   *
   * @remarks
   * Send only the fields to change; `null` clears an optional one. The status changes only
   * through `.../transitions`. A new role or organisation may take or free a seat: a
   * confirmed participant who would no longer fit is 409 `no_seat`, a freed seat promotes
   * from the waitlist at once, and a waitlisted participant made `staff` is confirmed. An
   * erased person's needs, answers and notes cannot be filled in again (409
   * `contact_erased`). 412 on a stale `If-Match`. Audited (personal fields are recorded as
   * changed, without their values).
   */
  @Patch(':participantId')
  @Requires('participants:write')
  @ApiProblems(400, 404, 409, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('participantId', PARTICIPANT_ID) id: string,
    @Body() dto: UpdateParticipantDto,
    @IfMatch() version?: number,
  ): Promise<ParticipantDto> {
    return ParticipantDto.from(await this.participants.update(actor, tripId, id, dto, version));
  }

  /**
   * Move a participant along the lifecycle.
   *
   * @remarks
   * `applied` → `confirmed`, `waitlisted`, `rejected` or `cancelled`; `waitlisted` →
   * `confirmed` or `cancelled`; `confirmed` → `cancelled`, `attended` or `no_show`; the rest
   * are final. Any other move is 409 `illegal_transition` with `allowedTransitions`.
   * Confirming an applicant when no seat is free puts them on the waitlist; confirming
   * someone waitlisted needs a free seat (409 `no_seat`). Attendance (`attended`,
   * `no_show`) is recorded once the trip is `in_progress` (409 `trip_not_under_way`). A
   * freed seat promotes from the waitlist at once (not on a completed or cancelled trip).
   * The participant is emailed about their new status. Answers with the participant. 412 on
   * a stale `If-Match`. Audited.
   */
  @Post(':participantId/transitions')
  @Idempotent()
  @Requires('participants:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 409, 412, 422)
  async transition(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('participantId', PARTICIPANT_ID) id: string,
    @Body() dto: ParticipantTransitionDto,
    @IfMatch() version?: number,
  ): Promise<ParticipantDto> {
    return ParticipantDto.from(
      await this.participants.transition(actor, tripId, id, dto.to, version),
    );
  }
}
