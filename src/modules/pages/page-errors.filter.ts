import {
  applyDecorators,
  Catch,
  Logger,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { requestFields } from '../../common/request-log.js';
import { Public } from '../../common/openapi.js';
import { PublicRateLimit } from '../identity/access/public-rate-limit.guard.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, TooManyRequests } from '../../common/problem/domain-error.js';
import { PAGE_WORDS, type PageWords } from './page-words.js';
import { PageRenderer } from './page-renderer.js';

/** What a page says for each problem: title, text, status. */
function pageFor(error: unknown, w: PageWords): [string, string, number] {
  if (error instanceof TooManyRequests) {
    return [w.tooMany, w.tooManyText(error.retryAfterSeconds), 429];
  }
  if (!(error instanceof DomainError)) return [w.failed, w.failedText, 500];
  switch (error.code) {
    case 'not_found':
      // The same words for every link that opens nothing: unknown, tampered, revoked, expired.
      return [w.linkGone, w.linkGoneText, 404];
    case 'form_expired':
      return [w.formExpired, w.formExpiredText, 403];
    case 'no_seat':
      return [w.full, w.fullText, 409];
    case 'registration_not_open':
    case 'registration_closed':
      return [w.closed, '', 409];
    case 'registration_final':
      return [w.notEditable, '', 409];
    case 'invitation_answered_already':
    case 'already_on_trip':
      return [w.accepted, '', 409];
    default:
      return [w.failed, w.failedText, error.status];
  }
}

/**
 * Problems on the participant pages as pages, not problem+json: in the
 * page's language, with a way back, and never saying whether a link that
 * opens nothing ever existed.
 */
@Catch()
export class PageErrors implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  constructor(private readonly pages: PageRenderer) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const formLang = (request.body as Record<string, unknown> | undefined)?.lang;
    const locale = this.pages.localeOf(
      request,
      formLang === 'en' || formLang === 'de' ? formLang : undefined,
    );
    const [title, text, status] = pageFor(error, PAGE_WORDS[locale]);
    if (status >= 500) {
      this.logger.error({ err: error, req: requestFields(request) }, 'page failed');
    }
    if (error instanceof DomainError) {
      for (const [name, value] of Object.entries(error.headers())) void reply.header(name, value);
    }
    const back = request.method === 'POST' ? request.url.split('?')[0] : null;
    this.pages.send(
      request,
      reply,
      'message',
      { locale, title, agency: null, status },
      {
        text,
        back,
      },
    );
  }
}

/** A form sent without the token of the page it came from (or with another link's). */
export class FormExpired extends DomainError {
  constructor() {
    super(403, 'form_expired', 'The form is not from this page; reload it and send it again.');
  }
}

/**
 * A participant page: public (the link is the key), rate-limited per client
 * network as the JSON endpoints, problems shown as pages, not in OpenAPI.
 */
export const ParticipantPage = () =>
  applyDecorators(
    ApiExcludeController(),
    Public(),
    UseGuards(PublicRateLimit),
    UseFilters(PageErrors),
  );
