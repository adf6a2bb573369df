import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { IfMatch, WithLiveFigures } from '../../common/etag/etag.js';
import { WithoutIdempotencyKey } from '../../common/idempotency/idempotency.interceptor.js';
import { ApiProblems, Public } from '../../common/openapi.js';
import { RequestOrigin, type Origin } from '../identity/access/actor.js';
import {
  PublicInvitationDto,
  PublicRegisteredDto,
  PublicRegistrationDto,
  PublicRegistrationUpdateDto,
  PublicRegistrationViewDto,
} from './dto/public.dto.js';
import { PublicRateLimit } from './public-rate-limit.guard.js';
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

  /** What the invitee needs to decide: the trip, its stations and deadline, the agency, their own name. */
  @Get()
  @TokenParam()
  @ApiProblems(404, 429)
  invitation(@Param('token') token: string): Promise<PublicInvitationDto> {
    return this.service.invitation(token);
  }

  /** Register for the trip (consent required); answered with the registration and its self-service token. */
  @Post('registration')
  @WithoutIdempotencyKey()
  @TokenParam()
  @ApiProblems(400, 404, 409, 429)
  register(
    @Param('token') token: string,
    @Body() dto: PublicRegistrationDto,
    @RequestOrigin() origin: Origin,
  ): Promise<PublicRegisteredDto> {
    return this.service.register(token, dto, origin);
  }

  /** Decline the invitation. */
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

  /** The registration as the participant sees it (passport number masked). */
  @Get()
  @WithLiveFigures()
  @TokenParam()
  @ApiProblems(404, 429)
  registration(@Param('token') token: string): Promise<PublicRegistrationViewDto> {
    return this.service.registration(token);
  }

  /** Correct the registration, including the passport, until registration closes. */
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

  /** Cancel the registration: the seat goes to the waiting list. */
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
