import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Created } from '../../common/created.js';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { CREATE_AGREEMENT_EXAMPLES, UPDATE_AGREEMENT_EXAMPLES } from './agreements.examples.js';
import { AgreementsService } from './agreements.service.js';
import {
  AgreementDto,
  AgreementTransitionDto,
  CreateAgreementDto,
  ListAgreementsQuery,
  UpdateAgreementDto,
} from './dto/agreement.dto.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const AGREEMENT_ID = "The agreement's id.";

@ApiTags('agreements')
@Controller('agreements')
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  /**
   * The agency's agreements, newest first.
   *
   * @remarks
   * By `signedOn`, newest first, agreements not signed yet before them; then by creation.
   * Filter by `status`, `kind`, `category`, `tripId`, a party (`organisationId`) or a party's
   * `country`, the `year` signed or `signedFrom`/`signedTo` (inclusive), `q` (words of the
   * title or a party's name; accents, case and small typos do not matter) and
   * `updatedSince`. Cursor-paginated: pass `nextCursor` as `cursor`.
   */
  @Get()
  @Requires('agreements:read')
  @ApiPageResponse(AgreementDto)
  @ApiProblems(400)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListAgreementsQuery,
  ): Promise<Page<AgreementDto>> {
    return this.agreements.list(actor, query);
  }

  /**
   * Record an agreement; it starts as `draft`.
   *
   * @remarks
   * At least one party: a partner organisation of the agency, each once, with the contacts who
   * sign for it (`signatoryContactIds`, may stay empty until signing). `tripId` and `meetingId`
   * say where it came from (the meeting must belong to the trip). `validUntil` is the last day
   * it is valid, not before `signedOn`; `documentUrl` an https link. 400 names each field that
   * is wrong. Audited.
   */
  @Post()
  @Idempotent()
  @Requires('agreements:write')
  @Created(AgreementDto)
  @ApiBody({ type: CreateAgreementDto, examples: CREATE_AGREEMENT_EXAMPLES })
  @ApiProblems(400, 422)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAgreementDto): Promise<AgreementDto> {
    return this.agreements.create(actor, dto);
  }

  /**
   * One agreement.
   *
   * @remarks
   * Its `ETag` (the `version`) serves `If-Match` on changes; `If-None-Match` with it answers
   * 304 while nothing changed.
   */
  @Get(':id')
  @Requires('agreements:read')
  @ApiProblems(400, 404)
  get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
  ): Promise<AgreementDto> {
    return this.agreements.get(actor, id);
  }

  /**
   * Change an agreement.
   *
   * @remarks
   * Send only the fields to change; `parties` replaces the list (with its signatories). The
   * rules of creation apply to the result; a signed agreement (and one in force, expired or
   * terminated) keeps its `signedOn` and at least one signatory. 412 on a stale `If-Match`.
   * Audited with what changed.
   */
  @Patch(':id')
  @Requires('agreements:write')
  @ApiBody({ type: UpdateAgreementDto, examples: UPDATE_AGREEMENT_EXAMPLES })
  @ApiProblems(400, 404, 412)
  update(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
    @Body() dto: UpdateAgreementDto,
    @IfMatch() version?: number,
  ): Promise<AgreementDto> {
    return this.agreements.update(actor, id, dto, version);
  }

  /**
   * Move an agreement along its lifecycle.
   *
   * @remarks
   * `draft → negotiating → signed → in_force → expired | terminated`; `draft | negotiating →
   * abandoned`; `signed → terminated`. Anything else is 409 `illegal_transition` naming the
   * allowed next states. `on` is the day it happened (default today in the agency's timezone,
   * not later); it becomes `statusSince`, and for `signed` the `signedOn`. Signing needs
   * `signedOn` and a party with a signatory: 400 naming what is missing. Agreements in force
   * expire by themselves the day after `validUntil`. Audited.
   */
  @Post(':id/transitions')
  @Idempotent()
  @Requires('agreements:write')
  @HttpCode(200)
  @ApiProblems(400, 404, 409, 412)
  transition(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
    @Body() dto: AgreementTransitionDto,
    @IfMatch() version?: number,
  ): Promise<AgreementDto> {
    return this.agreements.transition(actor, id, dto, version);
  }

  /**
   * Delete a draft agreement.
   *
   * @remarks
   * With its parties and follow-ups. Anything past `draft` is history: 409
   * `agreement_not_draft` (abandon or terminate it instead). 412 on a stale `If-Match`.
   * Audited.
   */
  @Delete(':id')
  @Requires('agreements:write')
  @HttpCode(204)
  @ApiProblems(400, 404, 409, 412)
  delete(
    @CurrentActor() actor: Actor,
    @UuidParam('id', AGREEMENT_ID) id: string,
    @IfMatch() version?: number,
  ): Promise<void> {
    return this.agreements.delete(actor, id, version);
  }
}
