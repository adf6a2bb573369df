import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { IfMatch, WithLiveFigures } from '../../common/etag/etag.js';
import { WithoutIdempotencyKey } from '../../common/idempotency/idempotency.interceptor.js';
import { ApiProblems, Public } from '../../common/openapi.js';
import { RequestOrigin, type Origin } from '../identity/access/actor.js';
import {
  OpenRegistrationAcceptedDto,
  OpenRegistrationDto,
  PublicInvitationDto,
  PublicOpenTripDto,
  PublicRegisteredDto,
  PublicRegistrationDto,
  PublicRegistrationUpdateDto,
  PublicRegistrationViewDto,
} from './dto/public.dto.js';
import { PublicRateLimit } from '../identity/access/public-rate-limit.guard.js';
import { PublicService } from './public.service.js';

const TokenParam = () =>
  ApiParam({
    name: 'token',
    description: 'The token from the link the participant was sent.',
    schema: { type: 'string', maxLength: 200 },
  });

/**
 * Invitees answering the invitation they were sent, without an account.
 * These POSTs ignore Idempotency-Key: their replies hold the person's data
 * and a link token, which must not be stored for replay; repeating one is
 * harmless anyway (registering again is 409, declining or cancelling again
 * changes nothing).
 */
@ApiTags('public')
@Public()
@UseGuards(PublicRateLimit)
@Controller('public/invitations/:token')
export class PublicInvitationsController {
  constructor(private readonly service: PublicService) {}

  /**
   * What the invitee needs to decide: the trip, its stations and deadline, the agency, their own name.
   *
   * @remarks
   * The invitation's status and personal note, the invitee's own name, address and
   * organisation on record, the agency, and the trip with its stations (each in its
   * timezone), registration window and whether registering is possible now. Nothing about
   * other people. A token that opens nothing (unknown, tampered, revoked, registration
   * closed, person erased) is 404. Rate-limited per client network (429 with `Retry-After`).
   */
  @Get()
  @TokenParam()
  @ApiProblems(404, 429)
  invitation(@Param('token') token: string): Promise<PublicInvitationDto> {
    return this.service.invitation(token);
  }

  /**
   * Register for the trip (consent required); answered with the registration and its self-service token.
   *
   * @remarks
   * Needs `consent: true` and registration open (the trip `registration_open`, inside its
   * window; else 409 `registration_not_open`). The invitee registers as a `member` for the
   * organisation on record, or with `organisationId: null` in a personal capacity (any other
   * organisation is 400). Seats, waitlist and approval work as when staff add someone: they
   * land `confirmed`, `waitlisted` or `applied`, and get an email saying which, with their
   * self-service link. Registering twice is 409 `invitation_answered_already` (or
   * `already_on_trip`). `registrationToken` opens `/public/registrations/{token}`, which is
   * also the `Location`. Rate-limited per client network (429 with `Retry-After`).
   */
  @Post('registration')
  @WithoutIdempotencyKey()
  @Created(PublicRegisteredDto, {
    location: '../../registrations/{registrationToken}',
    description: 'Registered; `Location` is the self-service page of the registration.',
  })
  @TokenParam()
  @ApiProblems(400, 404, 409, 429)
  register(
    @Param('token') token: string,
    @Body() dto: PublicRegistrationDto,
    @RequestOrigin() origin: Origin,
  ): Promise<PublicRegisteredDto> {
    return this.service.register(token, dto, origin);
  }

  /**
   * Decline the invitation.
   *
   * @remarks
   * The invitation becomes `declined` and its reminder is cancelled; declining again changes
   * nothing. An invitation already accepted is 409 `invitation_answered_already`. Answers with
   * the invitation as the invitee sees it.
   * Rate-limited per client network (429 with `Retry-After`).
   */
  @Post('decline')
  @WithoutIdempotencyKey()
  @HttpCode(200)
  @TokenParam()
  @ApiProblems(404, 409, 429)
  decline(
    @Param('token') token: string,
    @RequestOrigin() origin: Origin,
  ): Promise<PublicInvitationDto> {
    return this.service.decline(token, origin);
  }
}

/** A participant's own registration, through the self-service link they were sent. */
@ApiTags('public')
@Public()
@UseGuards(PublicRateLimit)
@Controller('public/registrations/:token')
export class PublicRegistrationsController {
  constructor(private readonly service: PublicService) {}

  /**
   * The registration as the participant sees it (passport number masked).
   *
   * @remarks
   * Their status and place on the waitlist, needs, visa, answers, passport (number masked),
   * whether they may still change it (`editable`, until registration closes), the agency and
   * the trip. Its `version` (also the `ETag`) goes into `If-Match` on PATCH; the status can
   * change without it, so `If-None-Match` never answers 304. The link works until the trip
   * is completed or cancelled; otherwise 404. Rate-limited per client network (429 with
   * `Retry-After`).
   */
  @Get()
  @WithLiveFigures()
  @TokenParam()
  @ApiProblems(404, 429)
  registration(@Param('token') token: string): Promise<PublicRegistrationViewDto> {
    return this.service.registration(token);
  }

  /**
   * Correct the registration, including the passport, until registration closes.
   *
   * @remarks
   * Send only the fields to change: category, needs, arrival and departure, visa, answers
   * and `travelDocument` (which replaces any passport given before; its errors are named
   * `travelDocument.*`). After registration closed it is 409 `registration_closed`; a
   * cancelled or rejected registration is 409 `registration_final`. 412 when `If-Match`
   * names an older `version`. Rate-limited per client network (429 with `Retry-After`).
   */
  @Patch()
  @TokenParam()
  @ApiProblems(400, 404, 409, 412, 429)
  update(
    @Param('token') token: string,
    @Body() dto: PublicRegistrationUpdateDto,
    @RequestOrigin() origin: Origin,
    @IfMatch() version?: number,
  ): Promise<PublicRegistrationViewDto> {
    return this.service.updateRegistration(token, dto, origin, version);
  }

  /**
   * Cancel the registration: the seat goes to the waiting list.
   *
   * @remarks
   * The participant withdraws (an applicant under review too): status `cancelled`, and the
   * freed seat promotes whoever is next on the waitlist at once. Possible until registration
   * closes (409 `registration_closed`); a rejected registration is 409 `registration_final`.
   * Cancelling again changes nothing. Answers with the registration. Rate-limited per client
   * network (429 with `Retry-After`).
   */
  @Post('cancel')
  @WithoutIdempotencyKey()
  @HttpCode(200)
  @TokenParam()
  @ApiProblems(404, 409, 429)
  cancel(
    @Param('token') token: string,
    @RequestOrigin() origin: Origin,
  ): Promise<PublicRegistrationViewDto> {
    return this.service.cancel(token, origin);
  }
}

const PublicIdParam = () =>
  ApiParam({
    name: 'publicId',
    description: "The trip's `publicId` (from its public registration link).",
    schema: { type: 'string', maxLength: 16 },
  });

/** Anyone registering for a trip the agency opened to all (`registrationMode: open`). */
@ApiTags('public')
@Public()
@UseGuards(PublicRateLimit)
@Controller('public/trips/:publicId')
export class PublicTripsController {
  constructor(private readonly service: PublicService) {}

  /**
   * A trip open to anyone: the agency, the trip, its stations and registration window.
   *
   * @remarks
   * Only trips in `open` registration mode that are planned, open or closed for registration;
   * any other id is 404. `registrationOpen` says whether one can register now. Nothing about
   * who is registered. Rate-limited per client network (429 with `Retry-After`).
   */
  @Get()
  @PublicIdParam()
  @ApiProblems(404, 429)
  trip(@Param('publicId') publicId: string): Promise<PublicOpenTripDto> {
    return this.service.openTrip(publicId);
  }

  /**
   * Register for the trip; the link to the registration goes to the address given.
   *
   * @remarks
   * Name, email address, language, and the fields a participant gives about themselves
   * (category, needs, arrival and departure, visa); `consent: true` is required. The agency's
   * contact with that address is registered (a new contact when there is none), as a `member`,
   * with seats, waitlist and approval as when staff add someone, and the status email with the
   * self-service link goes to that address. The answer is always the same 202, also when the
   * address is on the trip already (nothing changes then): only the owner of the address learns
   * what became of it. Registration must be open (409 `registration_not_open`). Rate-limited
   * per client network (429 with `Retry-After`).
   */
  @Post('registrations')
  @WithoutIdempotencyKey()
  @HttpCode(202)
  @PublicIdParam()
  @ApiProblems(400, 404, 409, 429)
  async register(
    @Param('publicId') publicId: string,
    @Body() dto: OpenRegistrationDto,
    @RequestOrigin() origin: Origin,
  ): Promise<OpenRegistrationAcceptedDto> {
    await this.service.registerOpen(publicId, dto, origin);
    return { message: 'Thank you. We have sent an email with the link to your registration.' };
  }
}
