import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
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
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const CONTACT_ID = "The contact's id.";

@ApiTags('directory')
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  /**
   * People you know, by last name.
   *
   * @remarks
   * `q` finds contacts by name, email or their organisation's name, ignoring case and
   * accents and forgiving small typos. Filter by `partnerOrganisationId` and by
   * `updatedSince` to pick up changes since your last sync. Erased people stay listed as
   * `[erased]` with `erasedAt` set. Cursor-paginated: pass `nextCursor` as `cursor`.
   */
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

  /**
   * Add a person to the directory.
   *
   * @remarks
   * Only `lastName` is required. An email is unique among your contacts, ignoring case: one
   * already used is 409 `contact_email_taken` with `existingContactId`, so you can link to
   * that contact instead. `partnerOrganisationId` must be one of your organisations (400).
   * `preferredLanguage` picks the language of their emails when a template exists for it.
   * Audited (personal fields are recorded as set, without their values).
   */
  @Post()
  @Idempotent()
  @Requires('directory:write')
  @Created(ContactDto)
  @ApiProblems(400, 409, 422)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateContactDto): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.create(actor, dto));
  }

  /**
   * One contact.
   *
   * @remarks
   * Its `ETag` (the `version`) serves `If-Match` on changes; `If-None-Match` with it answers
   * 304 while nothing changed. Everything held about the person, across trips, is at
   * `GET /contacts/{id}/personal-data`.
   */
  @Get(':id')
  @Requires('directory:read')
  @ApiProblems(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', CONTACT_ID) id: string,
  ): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.get(actor, id));
  }

  /**
   * Change some fields of a contact.
   *
   * @remarks
   * Send only the fields to change; `null` clears an optional one. An email another of your
   * contacts has is 409 `contact_email_taken` with `existingContactId`; an erased person
   * cannot be filled in again (409 `contact_erased`: create a new contact). 412 on a stale
   * `If-Match`. Audited (personal fields are recorded as changed, without their values).
   */
  @Patch(':id')
  @Requires('directory:write')
  @ApiProblems(400, 404, 409, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', CONTACT_ID) id: string,
    @Body() dto: UpdateContactDto,
    @IfMatch() version?: number,
  ): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.update(actor, id, dto, version));
  }

  /**
   * Remove a person nothing refers to any more.
   *
   * @remarks
   * While trips (as their lead), participations or invitations refer to them, the answer is
   * 409 `in_use`: history is never deleted along with them. To remove a person's data but
   * keep the statistics, use `POST /contacts/{id}/erase`. 412 on a stale `If-Match`. Audited.
   */
  @Delete(':id')
  @Requires('directory:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam('id', CONTACT_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.contacts.delete(actor, id, version);
  }
}
