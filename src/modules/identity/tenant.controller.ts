import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems } from '../../common/openapi.js';
import { CurrentActor, type Actor } from './access/actor.js';
import { Requires } from './access/permissions.js';
import { TenantDto, UpdateTenantDto } from './dto/user.dto.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('auth')
@Controller('tenant')
export class TenantController {
  constructor(private readonly tenants: TenantsService) {}

  /**
   * Your agency and its settings.
   *
   * @remarks
   * Name, URL-friendly `slug`, default language, timezone, how long travel documents are
   * kept after a trip and the passport validity margin. Its `ETag` serves `If-Match` on
   * `PATCH /tenant`. Only staff signed in with an access token (API keys: 403).
   */
  @Get()
  @Requires('self')
  async get(@CurrentActor() actor: Actor): Promise<TenantDto> {
    return TenantDto.from(await this.tenants.get(actor));
  }

  /**
   * Change the agency's name, language, timezone, travel-document retention or passport margin.
   *
   * @remarks
   * Send only the fields to change. The timezone (IANA, e.g. `Europe/Berlin`) decides when
   * registration deadlines and retention days fall; the language is used for messages to
   * people who chose none. `travelDocumentRetentionDays` (0–3650): passports are deleted
   * that many days after their trip ends. `passportValidityMarginMonths` (0–24): passports
   * expiring less than that long after a trip's end are flagged. The slug does not change.
   * 412 on a stale `If-Match`. Audited with what changed.
   */
  @Patch()
  @Requires('tenant:manage')
  @ApiProblems(400, 412)
  async update(
    @CurrentActor() actor: Actor,
    @Body() dto: UpdateTenantDto,
    @IfMatch() version?: number,
  ): Promise<TenantDto> {
    return TenantDto.from(await this.tenants.update(actor, dto, version));
  }
}
