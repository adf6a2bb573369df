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

  /** Your agency and its settings. */
  @Get()
  @Requires('self')
  async get(@CurrentActor() actor: Actor): Promise<TenantDto> {
    return TenantDto.from(await this.tenants.get(actor));
  }

  /** Change the agency's name, language, timezone, travel-document retention or passport margin. */
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
