import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, PageQueryDto, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import {
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointDto,
  WebhookEndpointWithSecretDto,
} from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const ENDPOINT_ID = "The webhook endpoint's id.";

@ApiTags('webhooks')
@Controller('webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /**
   * Register a URL to receive events.
   *
   * @remarks
   * The answer holds the signing `secret` (`whsec_…`), shown this once: deliveries carry
   * `webhook-id`, `webhook-timestamp` and `webhook-signature` headers as the Standard Webhooks
   * specification describes (README, "Webhooks", has a receiver's check in ten lines). The URL
   * must be `https` (plain `http` for hosts in WEBHOOK_ALLOWED_HOSTS, and outside production);
   * private, loopback, link-local, multicast and cloud-metadata addresses are refused (400
   * naming `url`), also when the host name resolves to one. Owners and admins; API keys need
   * `webhooks:write`. Audited.
   */
  @Post()
  @Idempotent()
  @Requires('webhooks:write')
  @Created(WebhookEndpointWithSecretDto)
  @ApiProblems(400)
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateWebhookEndpointDto,
  ): Promise<WebhookEndpointWithSecretDto> {
    const { endpoint, secret } = await this.endpoints.create(actor, dto);
    return { ...WebhookEndpointDto.from(endpoint), secret };
  }

  /** The agency's webhook endpoints, newest first (without their secrets). Cursor-paginated. */
  @Get()
  @Requires('webhooks:read')
  @ApiPageResponse(WebhookEndpointDto)
  @ApiProblems(400)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: PageQueryDto,
  ): Promise<Page<WebhookEndpointDto>> {
    const page = await this.endpoints.list(actor, query);
    return {
      items: page.items.map((endpoint) => WebhookEndpointDto.from(endpoint)),
      nextCursor: page.nextCursor,
    };
  }

  /** One endpoint (without its secret). */
  @Get(':id')
  @Requires('webhooks:read')
  @ApiProblems(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ENDPOINT_ID) id: string,
  ): Promise<WebhookEndpointDto> {
    return WebhookEndpointDto.from(await this.endpoints.get(actor, id));
  }

  /**
   * Change an endpoint's URL, description, event types, or switch it off and on.
   *
   * @remarks
   * A new URL is checked as on creation. Switching an endpoint back on (`active: true`) clears
   * its failure record. `If-Match` with the ETag guards against overwriting someone else's
   * change (412). Audited.
   */
  @Patch(':id')
  @Requires('webhooks:write')
  @ApiProblems(400, 404, 412)
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ENDPOINT_ID) id: string,
    @Body() dto: UpdateWebhookEndpointDto,
    @IfMatch() version?: number,
  ): Promise<WebhookEndpointDto> {
    return WebhookEndpointDto.from(await this.endpoints.update(actor, id, dto, version));
  }

  /** Delete an endpoint and its delivery log. Audited. */
  @Delete(':id')
  @Requires('webhooks:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ENDPOINT_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.endpoints.delete(actor, id, version);
  }

  /**
   * A new signing secret, shown this once; the old one signs beside it for 24 hours.
   *
   * @remarks
   * During the overlap `webhook-signature` holds two signatures (`v1,… v1,…`), one per secret,
   * so a receiver verifies with whichever it holds; `previousSecretExpiresAt` says when the
   * old one stops. Audited.
   */
  @Post(':id/rotate-secret')
  @Idempotent()
  @Requires('webhooks:write')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto })
  @ApiProblems(400, 404)
  async rotateSecret(
    @CurrentActor() actor: Actor,
    @UuidParam('id', ENDPOINT_ID) id: string,
  ): Promise<WebhookEndpointWithSecretDto> {
    const { endpoint, secret } = await this.endpoints.rotateSecret(actor, id);
    return { ...WebhookEndpointDto.from(endpoint), secret };
  }
}
