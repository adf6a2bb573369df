import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import {
  CreateContactDto,
  ListContactsQuery,
  ContactDto,
  UpdateContactDto,
} from './dto/contact.dto.js';
import { ContactsService } from './contacts.service.js';

@ApiTags('directory')
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  /** People you know, by last name; `q` searches names, emails and organisations fuzzily. */
  @Get()
  @Requires('directory:read')
  @ApiPageResponse(ContactDto)
  @ApiProblems(400)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListContactsQuery,
  ): Promise<Page<ContactDto>> {
    const page = await this.contacts.list(actor, query);
    return { items: page.items.map((c) => ContactDto.from(c)), nextCursor: page.nextCursor };
  }

  /** Add a person; an email already used by another of your contacts is 409 naming it. */
  @Post()
  @Requires('directory:write')
  @ApiProblems(400, 409, 422)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateContactDto): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.create(actor, dto));
  }

  /** One contact. */
  @Get(':id')
  @Requires('directory:read')
  @ApiProblems(400, 404)
  async get(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.get(actor, id));
  }

  /** Change some fields; `null` clears an optional one. */
  @Patch(':id')
  @Requires('directory:write')
  @ApiProblems(400, 404, 409, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: UpdateContactDto,
    @IfMatch() version?: number,
  ): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.update(actor, id, dto, version));
  }

  /** Remove a person nothing refers to any more (409 while trips or participations do). */
  @Delete(':id')
  @Requires('directory:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.contacts.delete(actor, id, version);
  }
}
