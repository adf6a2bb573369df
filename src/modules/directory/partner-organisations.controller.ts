import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import {
  CreatePartnerOrganisationDto,
  ListPartnerOrganisationsQuery,
  PartnerOrganisationDto,
  UpdatePartnerOrganisationDto,
} from './dto/partner-organisation.dto.js';
import { PartnerOrganisationsService } from './partner-organisations.service.js';

@ApiTags('directory')
@Controller('partner-organisations')
export class PartnerOrganisationsController {
  constructor(private readonly organisations: PartnerOrganisationsService) {}

  /** Organisations you work with, by name; `q` searches names fuzzily. */
  @Get()
  @Requires('directory:read')
  @ApiPageResponse(PartnerOrganisationDto)
  @ApiProblems(400)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListPartnerOrganisationsQuery,
  ): Promise<Page<PartnerOrganisationDto>> {
    const page = await this.organisations.list(actor, query);
    return {
      items: page.items.map((o) => PartnerOrganisationDto.from(o)),
      nextCursor: page.nextCursor,
    };
  }

  /** Add an organisation to the directory. */
  @Post()
  @Requires('directory:write')
  @ApiProblems(400, 409, 422)
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePartnerOrganisationDto,
  ): Promise<PartnerOrganisationDto> {
    return PartnerOrganisationDto.from(await this.organisations.create(actor, dto));
  }

  /** One organisation. */
  @Get(':id')
  @Requires('directory:read')
  @ApiProblems(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
  ): Promise<PartnerOrganisationDto> {
    return PartnerOrganisationDto.from(await this.organisations.get(actor, id));
  }

  /** Change some fields; `null` clears an optional one. */
  @Patch(':id')
  @Requires('directory:write')
  @ApiProblems(400, 404, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: UpdatePartnerOrganisationDto,
    @IfMatch() version?: number,
  ): Promise<PartnerOrganisationDto> {
    return PartnerOrganisationDto.from(await this.organisations.update(actor, id, dto, version));
  }

  /** Remove an organisation nothing refers to any more (409 while contacts or trips do). */
  @Delete(':id')
  @Requires('directory:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.organisations.delete(actor, id, version);
  }
}
