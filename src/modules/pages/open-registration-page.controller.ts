import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailed } from '../../common/problem/domain-error.js';
import { validateBody } from '../../common/validation.js';
import { RequestOrigin, type Origin } from '../identity/access/actor.js';
import type { Locale } from '../identity/roles.js';
import { OpenRegistrationDto, type PublicOpenTripDto } from '../invitations/dto/public.dto.js';
import { PublicService } from '../invitations/public.service.js';
import { PARTICIPANT_CATEGORIES } from '../participants/participants.constants.js';
import { FormExpired, ParticipantPage } from './page-errors.filter.js';
import {
  fieldMessages,
  formLocale,
  PageCsrf,
  selfServiceFields,
  text,
  ticked,
  type FormFields,
} from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { PAGE_WORDS } from './page-words.js';

/**
 * The registration page of a trip open to anyone (`registrationMode:
 * open`), the link an agency publishes: the trip and a form; afterwards
 * only "we have sent you an email" (what became of the registration is
 * told to the owner of the address alone). The same service as
 * `/api/v1/public/trips/{publicId}`.
 */
@ParticipantPage()
@Controller('trips/:publicId/register')
export class OpenRegistrationPageController {
  constructor(
    private readonly service: PublicService,
    private readonly pages: PageRenderer,
    private readonly csrf: PageCsrf,
  ) {}

  @Get()
  async show(
    @Param('publicId') publicId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const open = await this.service.openTrip(publicId);
    const sent = (request.query as Record<string, string | undefined>).sent === '1';
    this.render(request, reply, publicId, open, this.pages.localeOf(request), { sent });
  }

  @Post()
  async register(
    @Param('publicId') publicId: string,
    @Body() fields: FormFields,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @RequestOrigin() origin: Origin,
  ): Promise<void> {
    if (!this.csrf.holds(`open:${publicId}`, fields._csrf)) throw new FormExpired();
    const locale = formLocale(fields);
    try {
      const dto = validateBody(OpenRegistrationDto, {
        title: text(fields, 'title'),
        firstName: text(fields, 'firstName'),
        lastName: text(fields, 'lastName') ?? '',
        email: text(fields, 'email') ?? '',
        preferredLanguage: fields.preferredLanguage === 'en' ? 'en' : 'de',
        ...selfServiceFields(fields),
        consent: ticked(fields, 'consent'),
      });
      await this.service.registerOpen(publicId, dto, origin);
      this.pages.redirect(reply, `/trips/${publicId}/register`, locale, 'sent');
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const open = await this.service.openTrip(publicId);
      this.render(request, reply, publicId, open, locale, {
        status: 400,
        errors: fieldMessages(error, PAGE_WORDS[locale]),
        values: fields,
      });
    }
  }

  private render(
    request: FastifyRequest,
    reply: FastifyReply,
    publicId: string,
    open: PublicOpenTripDto,
    locale: Locale,
    form: {
      status?: number;
      errors?: Record<string, string>;
      values?: FormFields;
      sent?: boolean;
    },
  ): void {
    this.pages.send(
      request,
      reply,
      'open-registration',
      {
        locale,
        title: `${PAGE_WORDS[locale].openTitle}: ${open.trip.title}`,
        agency: open.agency,
        status: form.status,
      },
      {
        open,
        sent: form.sent ?? false,
        csrf: this.csrf.token(`open:${publicId}`),
        categories: PARTICIPANT_CATEGORIES,
        errors: form.errors ?? {},
        values: form.values ?? {},
      },
    );
  }
}
