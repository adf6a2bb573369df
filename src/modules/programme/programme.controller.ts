import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Created } from '../../common/created.js';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { calendarReply } from './calendar.js';
import {
  CreateMeetingDto,
  ItineraryDto,
  ListMeetingsQuery,
  MeetingDto,
  MeetingTransitionDto,
  ProgrammeDto,
  ProgrammeQuery,
  UpdateMeetingDto,
} from './dto/meeting.dto.js';
import { MeetingsService } from './meetings.service.js';
import { CREATE_MEETING_EXAMPLES, UPDATE_MEETING_EXAMPLES } from './programme.examples.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const TRIP_ID = "The trip's id.";
const MEETING_ID = "The meeting's id.";
const PARTICIPANT_ID = "The participant's id.";

const CALENDAR = 'text/calendar';

const ApiCalendar = (description: string) =>
  ApiOkResponse({ description, content: { [CALENDAR]: { schema: { type: 'string' } } } });

@ApiTags('programme')
@ApiExtraModels(ItineraryDto)
@Controller('trips')
export class ProgrammeController {
  constructor(private readonly meetings: MeetingsService) {}

  /**
   * A trip's meetings, earliest first.
   *
   * @remarks
   * Filter by `stationId`, `kind`, `status`, a `participantId` attending, an `organisationId`
   * met, the local dates at the station (`from`, `to`, inclusive) and `updatedSince`. Each
   * meeting carries its UTC instants and `local` times at its station, with the timezone and
   * its offset at that moment. Cursor-paginated: pass `nextCursor` as `cursor`.
   */
  @Get(':id/meetings')
  @Requires('programme:read')
  @ApiPageResponse(MeetingDto)
  @ApiProblems(400, 404)
  list(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @Query() query: ListMeetingsQuery,
  ): Promise<Page<MeetingDto>> {
    return this.meetings.list(actor, id, query);
  }

  /**
   * Put a meeting on the programme; it starts as `planned`.
   *
   * @remarks
   * `startsAt` and `endsAt` are local at the station (`2024-03-01T10:00`, read in its IANA
   * timezone) or carry `Z` or an offset. A local time the clocks skip or show twice (a
   * daylight-saving change) is 400 naming the field and why; so is an end not after the start,
   * a meeting longer than 24 hours, or one starting on a local day outside the station's
   * dates. Attendees are participants of this trip who are confirmed (or attended, no-show) or
   * have applied; counterparts are your partner organisations and contacts; the host an active
   * staff member. Nobody attends two overlapping meetings: 409 `attendee_double_booked` names
   * the participant and the meeting they attend then (back-to-back meetings do not overlap).
   * Audited.
   */
  @Post(':id/meetings')
  @Idempotent()
  @Requires('programme:write')
  @Created(MeetingDto)
  @ApiBody({ type: CreateMeetingDto, examples: CREATE_MEETING_EXAMPLES })
  @ApiProblems(400, 404, 409, 422)
  create(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @Body() dto: CreateMeetingDto,
  ): Promise<MeetingDto> {
    return this.meetings.create(actor, id, dto);
  }

  /**
   * The programme by local day at each station.
   *
   * @remarks
   * Days ordered by date (then station), meetings by start; a meeting belongs to the local day
   * it starts on, even when it ends after midnight. Filters as for the meeting list, without
   * paging: a trip's programme is one answer, read with the same few queries however many
   * meetings it holds.
   */
  @Get(':id/programme')
  @Requires('programme:read')
  @ApiProblems(400, 404)
  programme(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @Query() query: ProgrammeQuery,
  ): Promise<ProgrammeDto> {
    return this.meetings.programme(actor, id, query);
  }

  /**
   * One meeting.
   *
   * @remarks
   * Its `ETag` (the `version`) serves `If-Match` on changes; `If-None-Match` with it answers
   * 304 while nothing changed.
   */
  @Get(':id/meetings/:meetingId')
  @Requires('programme:read')
  @ApiProblems(400, 404)
  get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('meetingId', MEETING_ID) meetingId: string,
  ): Promise<MeetingDto> {
    return this.meetings.get(actor, id, meetingId);
  }

  /**
   * Change a meeting.
   *
   * @remarks
   * Send only the fields to change; `attendeeIds` and `counterparts` lists replace the
   * meeting's. Times follow the rules of creation; a moved meeting is checked again for every
   * attendee (409 `attendee_double_booked`). Changing only the station keeps the instants.
   * `outcome` may be set once the meeting is `held`. 412 on a stale `If-Match`. Audited with
   * what changed.
   */
  @Patch(':id/meetings/:meetingId')
  @Requires('programme:write')
  @ApiBody({ type: UpdateMeetingDto, examples: UPDATE_MEETING_EXAMPLES })
  @ApiProblems(400, 404, 409, 412)
  update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('meetingId', MEETING_ID) meetingId: string,
    @Body() dto: UpdateMeetingDto,
    @IfMatch() version?: number,
  ): Promise<MeetingDto> {
    return this.meetings.update(actor, id, meetingId, dto, version);
  }

  /**
   * Move a meeting along its lifecycle.
   *
   * @remarks
   * `planned → confirmed → held`; anything before `held` → `cancelled`. Anything else is 409
   * `illegal_transition` naming the allowed next states. Cancelling frees its attendees at that
   * time (a cancelled meeting never conflicts). Audited.
   */
  @Post(':id/meetings/:meetingId/transitions')
  @Idempotent()
  @Requires('programme:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 409, 412)
  transition(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('meetingId', MEETING_ID) meetingId: string,
    @Body() dto: MeetingTransitionDto,
    @IfMatch() version?: number,
  ): Promise<MeetingDto> {
    return this.meetings.transition(actor, id, meetingId, dto.to, version);
  }

  /**
   * Remove a meeting from the programme.
   *
   * @remarks
   * A held meeting is part of the trip's record: 409 `meeting_held` (cancel a meeting that did
   * not take place instead). 412 on a stale `If-Match`. Audited.
   */
  @Delete(':id/meetings/:meetingId')
  @Requires('programme:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('meetingId', MEETING_ID) meetingId: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.meetings.delete(actor, id, meetingId, version);
  }

  /**
   * The whole programme as an iCalendar file (RFC 5545), for staff calendars.
   *
   * @remarks
   * One event per meeting at its station's local time (`TZID` with a `VTIMEZONE` written from
   * the IANA database, so Almaty's 2024 change and DST are right), a UID that never changes
   * and a `SEQUENCE` raised on every change, the location and whom the meeting is with.
   * Cancelled meetings stay, marked `STATUS:CANCELLED`, so subscribed calendars remove them.
   * A weak `ETag` of the content answers `If-None-Match` with 304.
   */
  @Get(':id/calendar.ics')
  @Requires('programme:read')
  @ApiProduces(CALENDAR)
  @ApiCalendar('The programme as text/calendar.')
  @ApiProblems(400, 404)
  async calendar(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const text = await this.meetings.tripCalendar(actor, id);
    return calendarReply(request, reply, text, 'programme.ics');
  }

  /**
   * A participant's itinerary: their stations and meetings, in local time.
   *
   * @remarks
   * The trip's stations in order, and the meetings they attend or that are shown to the
   * whole delegation (when they travel with it: confirmed or attended), by start, cancelled
   * ones included with their status. With `Accept: text/calendar` the same as an iCalendar
   * file (as `.../itinerary.ics`).
   */
  @Get(':id/participants/:participantId/itinerary')
  @Requires('programme:read')
  @ApiProduces('application/json', CALENDAR)
  @ApiOkResponse({
    description: 'The itinerary, as JSON or (Accept: text/calendar) iCalendar.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ItineraryDto) } },
      [CALENDAR]: { schema: { type: 'string' } },
    },
  })
  @ApiProblems(400, 404)
  async itinerary(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('participantId', PARTICIPANT_ID) participantId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ItineraryDto | string> {
    if (request.headers.accept?.includes(CALENDAR)) {
      const text = await this.meetings.itineraryCalendar(actor, id, participantId);
      return calendarReply(request, reply, text, 'itinerary.ics');
    }
    return this.meetings.itinerary(actor, id, participantId);
  }

  /**
   * A participant's itinerary as an iCalendar file.
   *
   * @remarks
   * As `GET .../itinerary` with `Accept: text/calendar`.
   */
  @Get(':id/participants/:participantId/itinerary.ics')
  @Requires('programme:read')
  @ApiProduces(CALENDAR)
  @ApiCalendar('The itinerary as text/calendar.')
  @ApiProblems(400, 404)
  async itineraryCalendar(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) id: string,
    @UuidParam('participantId', PARTICIPANT_ID) participantId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const text = await this.meetings.itineraryCalendar(actor, id, participantId);
    return calendarReply(request, reply, text, 'itinerary.ics');
  }
}
