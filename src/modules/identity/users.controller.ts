import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from './access/actor.js';
import { Requires } from './access/permissions.js';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const USER_ID = "The staff member's id.";

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /**
   * Staff of your agency, by name.
   *
   * @remarks
   * Filter by `role`, by `active` (false: only deactivated staff) and by `updatedSince` to
   * pick up changes since your last sync. Cursor-paginated: pass `nextCursor` as `cursor`.
   */
  @Get()
  @Requires('users:read')
  @ApiPageResponse(UserDto)
  @ApiProblems(400)
  async list(@CurrentActor() actor: Actor, @Query() query: ListUsersQuery): Promise<Page<UserDto>> {
    const page = await this.users.list(actor, query);
    return { items: page.items.map((user) => UserDto.from(user)), nextCursor: page.nextCursor };
  }

  /**
   * Add a staff member with a role and an initial password.
   *
   * @remarks
   * They sign in with their email and this password (at least 12 characters, not a commonly
   * used one) and should change it (`POST /me/password`). An email is unique across
   * Delegation Desk: one that has an account anywhere is 409 `email_taken`. Only an owner
   * may create another owner (403 `owner_required`). `locale` defaults to the agency's
   * language. Audited.
   */
  @Post()
  @Idempotent()
  @Requires('users:write')
  @Created(UserDto)
  @ApiProblems(400, 409, 422)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return UserDto.from(await this.users.create(actor, dto));
  }

  /**
   * One staff member.
   *
   * @remarks
   * With their role, language, whether they can sign in, and their last sign-in. The
   * `ETag` (their `version`) serves `If-Match` on changes.
   */
  @Get(':id')
  @Requires('users:read')
  @ApiProblems(400, 404)
  async get(@CurrentActor() actor: Actor, @UuidParam('id', USER_ID) id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(actor, id));
  }

  /**
   * Change a staff member's name, role or language.
   *
   * @remarks
   * Send only the fields to change. Only an owner grants, changes or takes away the owner
   * role (403 `owner_required`), and the agency's last active owner cannot stop being one
   * (409 `last_owner`; checked under a lock, so two owners demoting each other cannot both
   * succeed). A new role applies to their next request at once. Audited (a name change is
   * recorded as changed, without the values). 412 on a stale `If-Match`.
   */
  @Patch(':id')
  @Requires('users:write')
  @ApiProblems(400, 404, 409, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', USER_ID) id: string,
    @Body() dto: UpdateUserDto,
    @IfMatch() version?: number,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.update(actor, id, dto, version));
  }

  /**
   * Deactivate a staff member: they can no longer sign in, and their sessions end at once.
   *
   * @remarks
   * Their access and refresh tokens stop working with the next request; the account and its
   * history stay. Deactivating an owner needs an owner (403 `owner_required`), and the last
   * active owner cannot be deactivated (409 `last_owner`). Deactivating someone already
   * inactive changes nothing. Answers with the user. Audited.
   */
  @Post(':id/deactivate')
  @Idempotent()
  @Requires('users:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 409, 412, 422)
  async deactivate(
    @CurrentActor() actor: Actor,
    @UuidParam('id', USER_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.deactivate(actor, id, version));
  }

  /**
   * Reactivate a staff member: they can sign in again.
   *
   * @remarks
   * With the password they had; their old sessions stay ended. Reactivating an owner needs
   * an owner (403 `owner_required`). Reactivating someone already active changes nothing.
   * Answers with the user. Audited.
   */
  @Post(':id/reactivate')
  @Idempotent()
  @Requires('users:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 412, 422)
  async reactivate(
    @CurrentActor() actor: Actor,
    @UuidParam('id', USER_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.reactivate(actor, id, version));
  }
}
