import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { IfMatch } from '../../common/etag/etag.js';
import { WithoutIdempotencyKey } from '../../common/idempotency/idempotency.interceptor.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, PageQueryDto, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from './access/actor.js';
import { Requires } from './access/permissions.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';

const API_KEY_ID = "The API key's id.";

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /**
   * Your agency's API keys, newest first.
   *
   * @remarks
   * Without their secrets: `prefix` tells keys apart. Each shows its scopes, whether it is
   * `active`, `expired` or `revoked`, and when it was last used (to the minute).
   */
  @Get()
  @Requires('api-keys:manage')
  @ApiPageResponse(ApiKeyDto)
  @ApiProblems(400)
  async list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<ApiKeyDto>> {
    const page = await this.apiKeys.list(actor, query);
    return { items: page.items.map((key) => ApiKeyDto.from(key)), nextCursor: page.nextCursor };
  }

  /**
   * Create a key for an integration.
   *
   * @remarks
   * The key (`dd_<8 hex>_<secret>`, sent as `X-API-Key`) is in this response only; we keep
   * just its prefix and a hash, so a lost key cannot be shown again: revoke it and create
   * another. `scopes` are `<area>:read` or `<area>:write` (write includes read) and
   * `pii:read`; whatever the scopes, a key never manages staff, keys or reads the audit
   * trail. `expiresAt` must lie in the future (400); without it the key works until
   * revoked. `Idempotency-Key` is ignored, since replaying the answer would mean storing
   * the key. Audited.
   */
  @Post()
  @Requires('api-keys:manage')
  @WithoutIdempotencyKey()
  @Created(CreatedApiKeyDto, {
    description: 'The new key, with its secret `key`; `Location` is its URL.',
  })
  @ApiProblems(400)
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.apiKeys.create(actor, dto);
    return Object.assign(ApiKeyDto.from(apiKey), { key });
  }

  /**
   * One API key, without its secret.
   *
   * @remarks
   * Its name, prefix, scopes, status (`active`, `expired`, `revoked`), expiry, last use and
   * who created it.
   */
  @Get(':id')
  @Requires('api-keys:manage')
  @ApiProblems(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', API_KEY_ID) id: string,
  ): Promise<ApiKeyDto> {
    return ApiKeyDto.from(await this.apiKeys.get(actor, id));
  }

  /**
   * Revoke a key: it stops working at once.
   *
   * @remarks
   * The next request with it is 401. The key stays listed as `revoked`, so its history
   * remains readable; revoking it again changes nothing. 412 on a stale `If-Match`. Audited.
   */
  @Delete(':id')
  @Requires('api-keys:manage')
  @HttpCode(204)
  @ApiProblems(400, 404, 412)
  revoke(
    @CurrentActor() actor: Actor,
    @UuidParam('id', API_KEY_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.apiKeys.revoke(actor, id, version);
  }
}
