import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailed } from '../../common/problem/domain-error.js';
import { validateBody } from '../../common/validation.js';
import { RequestOrigin, type Origin } from '../identity/access/actor.js';
import type { Locale } from '../identity/roles.js';
import { PublicRegistrationDto, type PublicInvitationDto } from '../invitations/dto/public.dto.js';
import { PublicService } from '../invitations/public.service.js';
import { PARTICIPANT_CATEGORIES } from '../participants/participants.constants.js';
import { FormExpired, ParticipantPage } from './page-errors.filter.js';
import {
  fieldMessages,
  formLocale,
  PageCsrf,
  selfServiceFields,
  ticked,
  type FormFields,
} from './page-forms.js';
import { PageRenderer } from './page-renderer.js';
import { PAGE_WORDS } from './page-words.js';

/**
 * The page behind an invitation email: the trip, and a form to register
 * or decline (plain HTML forms, POST-redirect-GET), through the same
 * service as `/api/v1/public/invitations/{token}`.
 */
@ParticipantPage()
@Controller('invitations/:token')
export class InvitationPageController {
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
    const invitation = await this.service.invitation(token);
    this.render(
      request,
      reply,
      token,
      invitation,
      this.pages.localeOf(request, invitation.language),
    );
  }

  @Post()
  async answer(
    @Param('token') token: string,
    @Body() fields: FormFields,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @RequestOrigin() origin: Origin,
  ): Promise<void> {
    if (!this.csrf.holds(token, fields._csrf)) throw new FormExpired();
    const locale = formLocale(fields);
    if (fields.action === 'decline') {
      await this.service.decline(token, origin);
      return this.pages.redirect(reply, `/invitations/${token}`, locale);
    }
    try {
      const dto = validateBody(PublicRegistrationDto, {
        ...selfServiceFields(fields),
        consent: ticked(fields, 'consent'),
        ...(fields.organisation === 'personal' ? { organisationId: null } : {}),
      });
      const registered = await this.service.register(token, dto, origin);
      this.pages.redirect(
        reply,
        `/registrations/${registered.registrationToken}`,
        locale,
        'registered',
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const invitation = await this.service.invitation(token);
      this.render(request, reply, token, invitation, locale, {
        status: 400,
        errors: fieldMessages(error, PAGE_WORDS[locale]),
        values: fields,
      });
    }
  }

  private render(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    invitation: PublicInvitationDto,
    locale: Locale,
    form: { status?: number; errors?: Record<string, string>; values?: FormFields } = {},
  ): void {
    this.pages.send(
      request,
      reply,
      'invitation',
      {
        locale,
        title: `${PAGE_WORDS[locale].invitationTitle}: ${invitation.trip.title}`,
        agency: invitation.agency,
        status: form.status,
      },
      {
        invitation,
        csrf: this.csrf.token(token),
        categories: PARTICIPANT_CATEGORIES,
        errors: form.errors ?? {},
        values: form.values ?? {},
      },
    );
  }
}
