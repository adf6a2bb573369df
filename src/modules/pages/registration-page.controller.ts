import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreconditionFailed, ValidationFailed } from '../../common/problem/domain-error.js';
import { validateBody } from '../../common/validation.js';
import { RequestOrigin, type Origin } from '../identity/access/actor.js';
import type { Locale } from '../identity/roles.js';
import {
  PublicRegistrationUpdateDto,
  type PublicRegistrationViewDto,
} from '../invitations/dto/public.dto.js';
import { PublicService } from '../invitations/public.service.js';
import { PARTICIPANT_CATEGORIES } from '../participants/participants.constants.js';
import { FormExpired, ParticipantPage } from './page-errors.filter.js';
import {
  fieldMessages,
  formLocale,
  PageCsrf,
  selfServiceFields,
  text,
  type FormFields,
} from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { PAGE_WORDS } from './page-words.js';

/** What the self-service page says above the form, after a redirect. */
const NOTICES = ['registered', 'saved'] as const;

/**
 * The self-service page behind the link in every status email: status and
 * waitlist position, the participant's details and passport (editable
 * while registration is open; the number never shown in full), the
 * programme and calendar, and cancelling with a confirmation step. The
 * same service as `/api/v1/public/registrations/{token}`.
 */
@ParticipantPage()
@Controller('registrations/:token')
export class RegistrationPageController {
  constructor(
    private readonly service: PublicService,
    private readonly pages: PageRenderer,
    private readonly csrf: PageCsrf,
  ) {}

  @Get()
  async show(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const registration = await this.service.registration(token);
    const query = request.query as Record<string, string | undefined>;
    const notice = NOTICES.find((flag) => query[flag] === '1');
    this.render(
      request,
      reply,
      token,
      registration,
      this.pages.localeOf(request, registration.language),
      {
        notice,
      },
    );
  }

  @Post()
  async update(
    @Param('token') token: string,
    @Body() fields: FormFields,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @RequestOrigin() origin: Origin,
  ): Promise<void> {
    if (!this.csrf.holds(token, fields._csrf)) throw new FormExpired();
    const locale = formLocale(fields);
    const passportGiven = Boolean(text(fields, 'passportNumber'));
    try {
      const dto = validateBody(PublicRegistrationUpdateDto, {
        ...selfServiceFields(fields),
        ...(passportGiven
          ? {
              travelDocument: {
                passportNumber: text(fields, 'passportNumber'),
                nationality: text(fields, 'nationality'),
                issuingCountry: text(fields, 'issuingCountry'),
                issuedOn: text(fields, 'issuedOn'),
                expiresOn: text(fields, 'expiresOn'),
              },
            }
          : {}),
      });
      const version = Number(fields.version);
      await this.service.updateRegistration(
        token,
        dto,
        origin,
        Number.isInteger(version) ? version : undefined,
      );
      this.pages.redirect(reply, `/registrations/${token}`, locale, 'saved');
    } catch (error) {
      if (!(error instanceof ValidationFailed || error instanceof PreconditionFailed)) throw error;
      const registration = await this.service.registration(token);
      const stale = error instanceof PreconditionFailed;
      this.render(request, reply, token, registration, locale, {
        status: stale ? 412 : 400,
        errors: stale ? {} : fieldMessages(error, PAGE_WORDS[locale]),
        // What was typed stays, except the passport number: never sent back in full.
        values: stale ? {} : { ...fields, passportNumber: '' },
        notice: stale ? 'changedMeanwhile' : undefined,
      });
    }
  }

  /** Cancelling, step one: are you sure? */
  @Get('cancel')
  async confirmCancel(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const registration = await this.service.registration(token);
    const locale = this.pages.localeOf(request, registration.language);
    this.pages.send(
      request,
      reply,
      'cancel',
      { locale, title: PAGE_WORDS[locale].cancelTitle, agency: registration.agency },
      { registration, csrf: this.csrf.token(token), back: `/registrations/${token}` },
    );
  }

  @Post('cancel')
  async cancel(
    @Param('token') token: string,
    @Body() fields: FormFields,
    @Res() reply: FastifyReply,
    @RequestOrigin() origin: Origin,
  ): Promise<void> {
    if (!this.csrf.holds(token, fields._csrf)) throw new FormExpired();
    await this.service.cancel(token, origin);
    this.pages.redirect(reply, `/registrations/${token}`, formLocale(fields));
  }

  private render(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    registration: PublicRegistrationViewDto,
    locale: Locale,
    form: {
      status?: number;
      errors?: Record<string, string>;
      values?: FormFields;
      notice?: string;
    } = {},
  ): void {
    this.pages.send(
      request,
      reply,
      'registration',
      {
        locale,
        title: `${PAGE_WORDS[locale].registrationTitle}: ${registration.trip.title}`,
        agency: registration.agency,
        status: form.status,
      },
      {
        r: registration,
        csrf: this.csrf.token(token),
        cancelUrl: `/registrations/${token}/cancel?lang=${locale}`,
        webcal: registration.calendarFeed?.replace(/^https?:/, 'webcal:') ?? null,
        categories: PARTICIPANT_CATEGORIES,
        errors: form.errors ?? {},
        values: form.values ?? {},
        notice: form.notice ?? null,
      },
    );
  }
}
