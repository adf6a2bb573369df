import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { itineraryFeedUrl } from '../../common/links/itinerary-feed.js';
import { Public } from '../../common/openapi.js';
import { AppConfig } from '../../config/app-config.js';
import { MeetingsService } from '../programme/meetings.service.js';
import { ParticipantPage } from './page-errors.filter.js';
import { PAGES_CSS, PageRenderer } from './page-renderer.js';
import { PAGE_WORDS } from './page-words.js';

/**
 * A participant's programme as a page: stations and meetings by local day,
 * each time in its station's zone (named), with the calendar to subscribe
 * to; printable. The link of the personal calendar feed, as a page.
 */
@ParticipantPage()
@Controller('itineraries/:token')
export class ItineraryPageController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async show(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { owner, itinerary, counterparts } = await this.meetings.publicItinerary(token);
    const locale = this.pages.localeOf(request, owner.language);
    const feed = itineraryFeedUrl(this.config.PUBLIC_BASE_URL, token);
    this.pages.send(
      request,
      reply,
      'itinerary',
      {
        locale,
        title: `${PAGE_WORDS[locale].itineraryTitle}: ${owner.tripTitle}`,
        agency: owner.agency,
      },
      {
        tripTitle: owner.tripTitle,
        stations: itinerary.stations,
        meetings: itinerary.meetings,
        counterparts: Object.fromEntries(counterparts),
        feed,
        webcal: feed.replace(/^https?:/, 'webcal:'),
      },
    );
  }
}

/** The pages' one stylesheet. */
@ApiExcludeController()
@Public()
@Controller('assets')
export class PageAssetsController {
  @Get('pages.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css(): string {
    return PAGES_CSS;
  }
}
