import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { WithoutIdempotencyKey } from '../../common/idempotency/idempotency.interceptor.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, PageQueryDto, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from './access/actor.js';
import { Requires } from './access/permissions.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** Your organisation's API keys, newest first (without their secrets). */
  @Get()
  @Requires('api-keys:manage')
  @ApiPageResponse(ApiKeyDto)
  @ApiProblems(400)
  async list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<ApiKeyDto>> {
    const page = await this.apiKeys.list(actor, query);
    return { items: page.items.map((key) => ApiKeyDto.from(key)), nextCursor: page.nextCursor };
  }

  /** Create a key for an integration. */
  @Post()
  @Requires('api-keys:manage')
  @WithoutIdempotencyKey()
  @ApiOperation({
    description:
      'The `key` is in this response only; we keep just its hash. `Idempotency-Key` is ignored here, since replaying the response would mean storing the key.',
  })
  @ApiProblems(400)
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.apiKeys.create(actor, dto);
    return Object.assign(ApiKeyDto.from(apiKey), { key });
  }

  /** One API key (without its secret). */
  @Get(':id')
  @Requires('api-keys:manage')
  @ApiProblems(400, 404)
  async get(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<ApiKeyDto> {
    return ApiKeyDto.from(await this.apiKeys.get(actor, id));
  }

  /** Revoke a key: it stops working at once. */
  @Delete(':id')
  @Requires('api-keys:manage')
  @HttpCode(204)
  @ApiProblems(400, 404, 412)
  revoke(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.apiKeys.revoke(actor, id, version);
  }
}
