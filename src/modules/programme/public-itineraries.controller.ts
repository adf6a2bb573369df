import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems, Public } from '../../common/openapi.js';
import { PublicRateLimit } from '../identity/access/public-rate-limit.guard.js';
import { calendarReply } from './calendar.js';
import { MeetingsService } from './meetings.service.js';
import { FeedNotFound } from './programme.errors.js';

const FEED_SUFFIX = '.ics';

@ApiTags('public')
@Public()
@UseGuards(PublicRateLimit)
@Controller('public/itineraries')
export class PublicItinerariesController {
  constructor(private readonly meetings: MeetingsService) {}

  /**
   * A participant's personal calendar feed.
   *
   * @remarks
   * Subscribe to it from a phone or Outlook (`webcal://` with the same path): the trip's
   * meetings the participant attends and those shown to the whole delegation, at each
   * station's local time, updated in place as the programme changes (cancelled meetings are
   * kept as `STATUS:CANCELLED`). It shows nothing of other participants. The link comes with
   * the participant's self-service data (`calendarFeed`); it stops working (404, as for a
   * link that never existed) when the participation is cancelled or rejected or the person
   * is erased. A weak `ETag` answers `If-None-Match` with 304. Rate-limited per client
   * network (429 with `Retry-After`).
   */
  @Get(':feed')
  @ApiParam({
    name: 'feed',
    description: 'The token from the participant’s link, followed by `.ics`.',
    schema: { type: 'string', maxLength: 204, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.ics$' },
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({
    description: 'The feed as text/calendar.',
    content: { 'text/calendar': { schema: { type: 'string' } } },
  })
  @ApiProblems(404, 429)
  async feed(
    @Param('feed') feed: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (!feed.endsWith(FEED_SUFFIX)) throw new FeedNotFound();
    const text = await this.meetings.publicItineraryCalendar(feed.slice(0, -FEED_SUFFIX.length));
    reply.header('Cache-Control', 'private, no-cache');
    return calendarReply(request, reply, text, 'itinerary.ics');
  }
}
