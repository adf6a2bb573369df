import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from './access/actor.js';
import { Requires } from './access/permissions.js';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Staff of your organisation, by name. */
  @Get()
  @Requires('users:read')
  @ApiPageResponse(UserDto)
  @ApiProblems(400)
  async list(@CurrentActor() actor: Actor, @Query() query: ListUsersQuery): Promise<Page<UserDto>> {
    const page = await this.users.list(actor, query);
    return { items: page.items.map((user) => UserDto.from(user)), nextCursor: page.nextCursor };
  }

  /** Add a staff member with a role and an initial password. */
  @Post()
  @Requires('users:write')
  @ApiProblems(400, 409, 422)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return UserDto.from(await this.users.create(actor, dto));
  }

  /** One staff member. */
  @Get(':id')
  @Requires('users:read')
  @ApiProblems(400, 404)
  async get(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(actor, id));
  }

  /** Change name, role or language. Only owners grant or take away the owner role. */
  @Patch(':id')
  @Requires('users:write')
  @ApiProblems(400, 404, 409, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: UpdateUserDto,
    @IfMatch() version?: number,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.update(actor, id, dto, version));
  }

  /** They can no longer sign in, and their sessions end at once. */
  @Post(':id/deactivate')
  @Requires('users:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 409, 412, 422)
  async deactivate(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @IfMatch() version?: number,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.deactivate(actor, id, version));
  }

  /** They can sign in again (with their old password). */
  @Post(':id/reactivate')
  @Requires('users:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 412, 422)
  async reactivate(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @IfMatch() version?: number,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.reactivate(actor, id, version));
  }
}
