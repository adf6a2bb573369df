import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Created } from '../../common/created.js';
import {
  Idempotent,
  WithoutIdempotencyKey,
} from '../../common/idempotency/idempotency.interceptor.js';
import { ApiProblems, Public } from '../../common/openapi.js';
import { LoginGuard, SignupEnabledGuard } from './access/access.guard.js';
import { CurrentActor, RequestOrigin, type Origin, type UserActor } from './access/actor.js';
import { Requires } from './access/permissions.js';
import { AuthService, type VerifiedAccount } from './auth.service.js';
import {
  ChangePasswordDto,
  LoginDto,
  RefreshDto,
  SignupDto,
  TokenPairDto,
} from './dto/auth.dto.js';
import { MeDto, TenantDto, UserDto } from './dto/user.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Create an agency and its owner account, and sign in as that owner.
   *
   * @remarks
   * Creates the agency (a new tenant, German and `Europe/Berlin` until you change them with
   * `PATCH /tenant`) and you as its `owner`, and answers with a token pair as sign-in does;
   * `Location` is the agency's settings (`/tenant`). The password needs at least 12
   * characters and must not be one of the commonly used ones (400). An email that already
   * has an account anywhere in Delegation Desk is 409 `email_taken`. 403 `signup_disabled`
   * when the installation has sign-up switched off (accounts are then made by its operator).
   * Sign-ups are limited per client network and hour (429 with `Retry-After`).
   * `Idempotency-Key` is ignored: the answer carries tokens, which would have to be stored
   * to replay it.
   */
  @Post('signup')
  @Public()
  @UseGuards(SignupEnabledGuard)
  @WithoutIdempotencyKey()
  @Created(TokenPairDto, {
    location: '../tenant',
    description: 'Signed in as the new owner; `Location` is the agency (`GET /tenant`).',
  })
  @ApiProblems(400, 403, 409, 429)
  signup(@Body() dto: SignupDto, @RequestOrigin() origin: Origin): Promise<TokenPairDto> {
    return this.auth.signup(dto, origin);
  }

  /**
   * Sign in with email and password.
   *
   * @remarks
   * Starts a session and answers with an access token (JWT, 15 minutes by default) and a
   * refresh token for `POST /auth/refresh`. A wrong email, a wrong password and a
   * deactivated account are the same 401 `invalid_credentials` after the same work, so the
   * answer never tells whether an email has an account. Failed attempts are limited per
   * account and per client network (429 with `Retry-After`); a successful sign-in does not
   * count. Every attempt on a known account is audited. `Idempotency-Key` is ignored: the
   * answer carries tokens.
   */
  @Post('login')
  @Public()
  @UseGuards(LoginGuard)
  @HttpCode(200)
  @WithoutIdempotencyKey()
  @ApiBody({ type: LoginDto })
  @ApiProblems(400, 401, 429)
  login(
    @Req() request: FastifyRequest & { account: VerifiedAccount },
    @RequestOrigin() origin: Origin,
  ): Promise<TokenPairDto> {
    return this.auth.login(request.account, origin);
  }

  /**
   * Exchange a refresh token for a new pair; each refresh token works once.
   *
   * @remarks
   * Answers with a new access token and a new refresh token; the one presented stops
   * working. Presenting a used refresh token again is taken as a leak: its whole session
   * ends (401 `refresh_token_reused`) and you sign in again. An unknown or expired token
   * (30 days by default), or one of an ended session, is 401 `invalid_refresh_token`.
   * Refreshes are limited per client network and minute (429 with `Retry-After`).
   * `Idempotency-Key` is ignored: the answer carries tokens.
   */
  @Post('refresh')
  @Public()
  @HttpCode(200)
  @WithoutIdempotencyKey()
  @ApiProblems(400, 401, 429)
  refresh(@Body() dto: RefreshDto, @RequestOrigin() origin: Origin): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken, origin);
  }

  /**
   * Sign out: end the session of a refresh token.
   *
   * @remarks
   * The refresh token and every access token of its session stop working at once (other
   * sessions of the same user go on). Answers 204 whether or not the token was still valid,
   * so repeating it is harmless and `Idempotency-Key` is not needed (it is ignored).
   */
  @Post('logout')
  @Public()
  @HttpCode(204)
  @WithoutIdempotencyKey()
  @ApiProblems(400)
  logout(@Body() dto: RefreshDto, @RequestOrigin() origin: Origin): Promise<void> {
    return this.auth.logout(dto.refreshToken, origin);
  }
}

@ApiTags('auth')
@Controller('me')
export class MeController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Who you are signed in as, and your agency.
   *
   * @remarks
   * Your user (role, language, last sign-in) with your agency's settings in `tenant`.
   * Only for staff signed in with an access token: an API key has no user (403). 401
   * `session_ended` when the session ended meanwhile (signed out, deactivated, password
   * changed).
   */
  @Get()
  @Requires('self')
  async me(@CurrentActor() actor: UserActor): Promise<MeDto> {
    const user = await this.auth.me(actor);
    return Object.assign(UserDto.from(user), { tenant: TenantDto.from(user.tenant) });
  }

  /**
   * Change your password; your other sessions end.
   *
   * @remarks
   * Needs your current password (a wrong one is 400 on `currentPassword` and counts as a
   * failed sign-in: too many are 429 with `Retry-After`). The new one needs at least 12
   * characters and must not be a commonly used one. The session you call from stays
   * signed in; every other session of yours ends at once. Audited.
   */
  @Post('password')
  @Idempotent()
  @Requires('self')
  @HttpCode(204)
  @ApiProblems(400, 429)
  changePassword(@CurrentActor() actor: UserActor, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(actor, dto);
  }
}
