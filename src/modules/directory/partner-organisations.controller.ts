import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { IfMatch, WithLiveFigures } from '../../common/etag/etag.js';
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
import type { PartnerOrganisation } from './entities/partner-organisation.entity.js';
import { PartnerOrganisationsService } from './partner-organisations.service.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const ORGANISATION_ID = "The partner organisation's id.";

@ApiTags('directory')
@Controller('partner-organisations')
export class PartnerOrganisationsController {
  constructor(private readonly organisations: PartnerOrganisationsService) {}

  /**
   * Organisations you work with, by name.
   *
   * @remarks
   * `q` finds organisations by name or short name, ignoring case and accents and forgiving
   * small typos ("Atameken" finds "ATAMEKEN", "Thuringen" finds "Thüringen"). Filter by
   * `country`, `kind`, `sector` (an exact tag) and `updatedSince` to pick up changes since
   * your last sync. Cursor-paginated: pass `nextCursor` as `cursor`.
   */
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
      items: page.items.map(({ organisation, agreementCounts }) =>
        PartnerOrganisationDto.from(organisation, agreementCounts),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Add an organisation to the directory.
   *
   * @remarks
   * A company, research institute, university, chamber, association, ministry, embassy,
   * consulate, agency or other partner (`kind`), with its country (ISO 3166-1 alpha-2),
   * sectors as free tags and optional city, website and register number. Names need not be
   * unique. Audited.
   */
  @Post()
  @Idempotent()
  @Requires('directory:write')
  @Created(PartnerOrganisationDto)
  @ApiProblems(400, 409, 422)
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePartnerOrganisationDto,
  ): Promise<PartnerOrganisationDto> {
    return this.view(await this.organisations.create(actor, dto));
  }

  /**
   * One partner organisation, with its agreements per status.
   *
   * @remarks
   * Its `ETag` (the `version`) serves `If-Match` on changes. `agreementCounts` change without
   * the organisation changing, so `If-None-Match` never answers 304 here.
   */
  @Get(':id')
  @WithLiveFigures()
  @Requires('directory:read')
  @ApiProblems(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ORGANISATION_ID) id: string,
  ): Promise<PartnerOrganisationDto> {
    const { organisation, agreementCounts } = await this.organisations.get(actor, id);
    return PartnerOrganisationDto.from(organisation, agreementCounts);
  }

  /**
   * Change some fields of a partner organisation.
   *
   * @remarks
   * Send only the fields to change; `null` clears an optional one. Sending what is already
   * stored changes nothing (no new version). 412 on a stale `If-Match`. Audited with what
   * changed.
   */
  @Patch(':id')
  @Requires('directory:write')
  @ApiProblems(400, 404, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ORGANISATION_ID) id: string,
    @Body() dto: UpdatePartnerOrganisationDto,
    @IfMatch() version?: number,
  ): Promise<PartnerOrganisationDto> {
    return this.view(await this.organisations.update(actor, id, dto, version));
  }

  /**
   * Remove an organisation nothing refers to any more.
   *
   * @remarks
   * While contacts, trips (as co-organiser) or participants refer to it, the answer is 409
   * `in_use`: history is never deleted along with it. 412 on a stale `If-Match`. Audited.
   */
  @Delete(':id')
  @Requires('directory:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ORGANISATION_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.organisations.delete(actor, id, version);
  }

  /** A changed organisation with its agreements per status. */
  private async view(organisation: PartnerOrganisation): Promise<PartnerOrganisationDto> {
    const counts = await this.organisations.agreementCounts([organisation]);
    return PartnerOrganisationDto.from(organisation, counts.get(organisation.id) ?? {});
  }
}
