import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { WithoutIdempotencyKey } from '../../common/idempotency/idempotency.interceptor.js';
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

const SECRET_RESPONSE =
  'The response carries secrets, so `Idempotency-Key` is ignored here: it would have to be stored with them.';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Create an agency and its owner account, and sign in as that owner. */
  @Post('signup')
  @Public()
  @UseGuards(SignupEnabledGuard)
  @WithoutIdempotencyKey()
  @ApiOperation({ description: `Rate-limited per IP. ${SECRET_RESPONSE}` })
  @ApiProblems(400, 403, 409, 429)
  signup(@Body() dto: SignupDto, @RequestOrigin() origin: Origin): Promise<TokenPairDto> {
    return this.auth.signup(dto, origin);
  }

  /** Sign in with email and password. */
  @Post('login')
  @Public()
  @UseGuards(LoginGuard)
  @HttpCode(200)
  @WithoutIdempotencyKey()
  @ApiBody({ type: LoginDto })
  @ApiOperation({
    description: `Failed attempts are limited per account and per IP; the answer never says whether the email exists. ${SECRET_RESPONSE}`,
  })
  @ApiProblems(400, 401, 429)
  login(
    @Req() request: FastifyRequest & { account: VerifiedAccount },
    @RequestOrigin() origin: Origin,
  ): Promise<TokenPairDto> {
    return this.auth.login(request.account, origin);
  }

  /** Exchange a refresh token for a new pair; each refresh token works once. */
  @Post('refresh')
  @Public()
  @HttpCode(200)
  @WithoutIdempotencyKey()
  @ApiOperation({
    description: `Presenting a refresh token a second time ends its whole session. Rate-limited per IP. ${SECRET_RESPONSE}`,
  })
  @ApiProblems(400, 401, 429)
  refresh(@Body() dto: RefreshDto, @RequestOrigin() origin: Origin): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken, origin);
  }

  /** Sign out: ends the session of this refresh token, including its access tokens. Repeating it is harmless. */
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

  /** Who you are signed in as, and your organisation. */
  @Get()
  @Requires('self')
  async me(@CurrentActor() actor: UserActor): Promise<MeDto> {
    const user = await this.auth.me(actor);
    return Object.assign(UserDto.from(user), { tenant: TenantDto.from(user.tenant) });
  }

  /** Change your password; your other sessions end. */
  @Post('password')
  @Requires('self')
  @HttpCode(204)
  @ApiProblems(400, 429)
  changePassword(@CurrentActor() actor: UserActor, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(actor, dto);
  }
}
