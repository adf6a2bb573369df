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

@ApiTags('invitations')
@Controller('trips/:id/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  /**
   * Invite up to 500 contacts; each gets one email with their personal link.
   * Who was not invited (already invited or registered, no address...) is
   * reported per contact.
   */
  @Post()
  @HttpCode(200)
  @Requires('participants:write')
  @ApiProblems(400, 404, 409, 422)
  invite(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @Body() dto: CreateInvitationsDto,
  ): Promise<InviteReportDto> {
    return this.invitations.invite(actor, tripId, dto);
  }

  /** The trip's invitations, oldest first, with their status. */
  @Get()
  @Requires('participants:read')
  @ApiPageResponse(InvitationDto)
  @ApiProblems(400, 404)
  list(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @Query() query: ListInvitationsQuery,
  ): Promise<Page<InvitationDto>> {
    return this.invitations.list(actor, tripId, query);
  }

  /** One invitation. */
  @Get(':invitationId')
  @Requires('participants:read')
  @ApiProblems(400, 404)
  get(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('invitationId') id: string,
  ): Promise<InvitationDto> {
    return this.invitations.get(actor, tripId, id);
  }

  /** Send the invitation email again, same link (pending invitations; a few times a day). */
  @Post(':invitationId/resend')
  @HttpCode(200)
  @Requires('participants:write')
  @ApiProblems(400, 404, 409, 429)
  resend(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('invitationId') id: string,
  ): Promise<InvitationDto> {
    return this.invitations.resend(actor, tripId, id);
  }

  /** Withdraw the invitation: the link stops working and unsent emails are cancelled. */
  @Post(':invitationId/revoke')
  @HttpCode(200)
  @Requires('participants:write')
  @ApiProblems(400, 404, 409)
  revoke(
    @CurrentActor() actor: Actor,
    @UuidParam() tripId: string,
    @UuidParam('invitationId') id: string,
  ): Promise<InvitationDto> {
    return this.invitations.revoke(actor, tripId, id);
  }
}
