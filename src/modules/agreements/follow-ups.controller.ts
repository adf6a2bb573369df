import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, PageQueryDto, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import {
  CreateFollowUpDto,
  FollowUpDto,
  ListFollowUpsQuery,
  UpdateFollowUpDto,
} from './dto/follow-up.dto.js';
import { FollowUpsService } from './follow-ups.service.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const AGREEMENT_ID = "The agreement's id.";
const FOLLOW_UP_ID = "The follow-up's id.";

@ApiTags('agreements')
@Controller()
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  /**
   * Follow-ups across all agreements: what is due.
   *
   * @remarks
   * By due day, earliest first. Filter by `ownerUserId`, `state` (`open`; `overdue`: open and
   * due before today in the agency's timezone; `done`) and `dueBefore` (e.g. next Monday for
   * "this week"). Cursor-paginated.
   */
  @Get('follow-ups')
  @Requires('agreements:read')
  @ApiPageResponse(FollowUpDto)
  @ApiProblems(400)
  listAll(
    @CurrentActor() actor: Actor,
    @Query() query: ListFollowUpsQuery,
  ): Promise<Page<FollowUpDto>> {
    return this.followUps.listAll(actor, query);
  }

  /**
   * An agreement's follow-ups, by due day.
   *
   * @remarks
   * Each says whether it is `done` and whether it is `overdue` today in the agency's timezone.
   */
  @Get('agreements/:id/follow-ups')
  @Requires('agreements:read')
  @ApiPageResponse(FollowUpDto)
  @ApiProblems(400, 404)
  list(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<FollowUpDto>> {
    return this.followUps.list(actor, id, query);
  }

  /**
   * Add a follow-up to an agreement.
   *
   * @remarks
   * Its owner is an active staff member of the agency (400 otherwise). Audited.
   */
  @Post('agreements/:id/follow-ups')
  @Idempotent()
  @Requires('agreements:write')
  @Created(FollowUpDto)
  @ApiProblems(400, 404, 422)
  create(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
    @Body() dto: CreateFollowUpDto,
  ): Promise<FollowUpDto> {
    return this.followUps.create(actor, id, dto);
  }

  /** One follow-up of an agreement. */
  @Get('agreements/:id/follow-ups/:followUpId')
  @Requires('agreements:read')
  @ApiProblems(400, 404)
  get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
    @UuidParam('followUpId', FOLLOW_UP_ID) followUpId: string,
  ): Promise<FollowUpDto> {
    return this.followUps.get(actor, id, followUpId);
  }

  /**
   * Change a follow-up, or mark it done.
   *
   * @remarks
   * Send only the fields to change. `done: true` sets `doneAt` now and `doneBy` to you (an API
   * key is no user: `doneBy` stays null, the audit trail names the key); `done: false` opens it
   * again. 412 on a stale `If-Match`. Audited.
   */
  @Patch('agreements/:id/follow-ups/:followUpId')
  @Requires('agreements:write')
  @ApiProblems(400, 404, 412)
  update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
    @UuidParam('followUpId', FOLLOW_UP_ID) followUpId: string,
    @Body() dto: UpdateFollowUpDto,
    @IfMatch() version?: number,
  ): Promise<FollowUpDto> {
    return this.followUps.update(actor, id, followUpId, dto, version);
  }

  /** Delete a follow-up. 412 on a stale `If-Match`. Audited. */
  @Delete('agreements/:id/follow-ups/:followUpId')
  @Requires('agreements:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
    @UuidParam('followUpId', FOLLOW_UP_ID) followUpId: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.followUps.delete(actor, id, followUpId, version);
  }
}
