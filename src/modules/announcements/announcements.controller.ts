import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, PageQueryDto, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { AnnouncementsService } from './announcements.service.js';
import { AnnouncementDto, CreateAnnouncementDto } from './dto/announcement.dto.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const TRIP_ID = "The trip's id.";
const ANNOUNCEMENT_ID = "The announcement's id.";

@ApiTags('announcements')
@Controller('trips/:id/announcements')
export class AnnouncementsController {
  constructor(private readonly announcements: AnnouncementsService) {}

  /**
   * Send a message to the delegation, or part of it.
   *
   * @remarks
   * The audience is the trip's participants matching every filter given: `statuses` (default
   * `["confirmed"]`), `roles`, `categories`, `stationId` (attending a meeting there that is not
   * cancelled) and `participantIds`; those without an email address or erased are left out.
   * It is resolved now, and the answer's `recipients` says how many; nobody matching is 422
   * `announcement_without_recipients`. `subject` and `body` are given in German and/or English
   * (the same languages in both): with both, each recipient reads their language, with one,
   * everyone reads that. The body is plain text or Markdown (links, lists, emphasis); raw HTML
   * is shown as text, never passed through. `sendAt` (not in the past; default now) schedules
   * it. A message due later is not sent to someone whose registration has meanwhile left the
   * chosen statuses. Each message is in the delivery log
   * (`GET /notifications?aboutType=announcement&aboutId=…`). Audited.
   */
  @Post()
  @Idempotent()
  @Requires('participants:write')
  @Created(AnnouncementDto)
  @ApiProblems(400, 404, 422)
  create(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @Body() dto: CreateAnnouncementDto,
  ): Promise<AnnouncementDto> {
    return this.announcements.create(actor, tripId, dto);
  }

  /**
   * A trip's announcements, newest first, each with how its messages stand.
   *
   * @remarks
   * `delivery` counts the messages `sent`, `failed`, `pending` and `cancelled`. Cursor-paginated.
   */
  @Get()
  @Requires('participants:read')
  @ApiPageResponse(AnnouncementDto)
  @ApiProblems(400, 404)
  list(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<AnnouncementDto>> {
    return this.announcements.list(actor, tripId, query);
  }

  /** One announcement, with how its messages stand. */
  @Get(':announcementId')
  @Requires('participants:read')
  @ApiProblems(400, 404)
  get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('announcementId', ANNOUNCEMENT_ID) id: string,
  ): Promise<AnnouncementDto> {
    return this.announcements.get(actor, tripId, id);
  }

  /**
   * Withdraw an announcement: what has not gone out is not sent.
   *
   * @remarks
   * Messages already sent stay sent; the others are `cancelled`. When everything has gone out,
   * 409 `announcement_sent`. Withdrawing again changes nothing. Audited.
   */
  @Post(':announcementId/withdraw')
  @Idempotent()
  @HttpCode(200)
  @Requires('participants:write')
  @ApiProblems(400, 404, 409)
  withdraw(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('announcementId', ANNOUNCEMENT_ID) id: string,
  ): Promise<AnnouncementDto> {
    return this.announcements.withdraw(actor, tripId, id);
  }
}
