import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import {
  CreateInvitationsDto,
  InvitationDto,
  InviteReportDto,
  ListInvitationsQuery,
} from './dto/invitation.dto.js';
import { InvitationsService } from './invitations.service.js';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor.js';

const TRIP_ID = "The trip's id.";
const INVITATION_ID = "The invitation's id.";

@ApiTags('invitations')
@Controller('trips/:id/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  /**
   * Invite up to 500 contacts to a trip; each gets one email with their personal link.
   *
   * @remarks
   * Possible while the trip is `planned` or `registration_open` and registration has not
   * closed (else 409 `trip_not_inviting`). Each contact is invited once, bound to their
   * current email address, with the optional `message` in the email and on the invitation
   * page; the link is `{PUBLIC_BASE_URL}/invitations/{token}`. Who is not invited is not an
   * error but reported per contact in `results`: `already_invited` (pending: use resend),
   * `already_registered`, `declined_before`, `no_email`, `erased` or `unknown_contact`. A
   * revoked invitation is renewed with a new link. Answers 200 with the report, not 201:
   * a batch creates up to 500 invitations (each `invitationId` is in `results`, at
   * `.../invitations/{invitationId}`) and may create none. Audited.
   */
  @Post()
  @Idempotent()
  @HttpCode(200)
  @Requires('participants:write')
  @ApiProblems(400, 404, 409, 422)
  invite(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @Body() dto: CreateInvitationsDto,
  ): Promise<InviteReportDto> {
    return this.invitations.invite(actor, tripId, dto);
  }

  /**
   * The trip's invitations, oldest first, with their status.
   *
   * @remarks
   * `pending`, `accepted` (registered), `declined`, `revoked`, or `expired`: pending when
   * registration closed. Filter by `status` and by `updatedSince` to pick up changes since
   * your last sync. Cursor-paginated: pass `nextCursor` as `cursor`. 404 for an unknown
   * trip.
   */
  @Get()
  @Requires('participants:read')
  @ApiPageResponse(InvitationDto)
  @ApiProblems(400, 404)
  list(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @Query() query: ListInvitationsQuery,
  ): Promise<Page<InvitationDto>> {
    return this.invitations.list(actor, tripId, query);
  }

  /**
   * One invitation of a trip.
   *
   * @remarks
   * Its status, the address it was sent to, how often it was sent, when it was answered and
   * the registration it led to (`participantId`). The link itself is never shown: only the
   * invitee has it.
   */
  @Get(':invitationId')
  @Requires('participants:read')
  @ApiProblems(400, 404)
  get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('invitationId', INVITATION_ID) id: string,
  ): Promise<InvitationDto> {
    return this.invitations.get(actor, tripId, id);
  }

  /**
   * Send the invitation email again, with the same link.
   *
   * @remarks
   * Only for a `pending` invitation (not answered, revoked or expired; else 409
   * `invitation_not_pending`). Each invitation can be resent a few times a day (3 by
   * default); past that, 429 with `Retry-After`. Answers with the invitation, its
   * `sendCount` one higher. Audited.
   */
  @Post(':invitationId/resend')
  @Idempotent()
  @HttpCode(200)
  @Requires('participants:write')
  @ApiProblems(400, 404, 409, 429)
  resend(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('invitationId', INVITATION_ID) id: string,
  ): Promise<InvitationDto> {
    return this.invitations.resend(actor, tripId, id);
  }

  /**
   * Withdraw an invitation: the link stops working and unsent emails are cancelled.
   *
   * @remarks
   * Only a pending invitation can be revoked; an answered one is 409 `invitation_answered`.
   * Revoking again changes nothing. Inviting the contact again later makes a new link (the
   * old one stays dead). Answers with the invitation. Audited.
   */
  @Post(':invitationId/revoke')
  @Idempotent()
  @HttpCode(200)
  @Requires('participants:write')
  @ApiProblems(400, 404, 409)
  revoke(
    @CurrentActor() actor: Actor,
    @UuidParam('id', TRIP_ID) tripId: string,
    @UuidParam('invitationId', INVITATION_ID) id: string,
  ): Promise<InvitationDto> {
    return this.invitations.revoke(actor, tripId, id);
  }
}
