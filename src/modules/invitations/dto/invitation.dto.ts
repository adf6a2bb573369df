import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { ApiInteger, ApiText, ApiUuid } from '../../../common/openapi.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import { IsInstant, IsText } from '../../../common/validation.js';
import {
  INVITATION_STATUSES,
  INVITE_OUTCOMES,
  MAX_INVITATIONS_PER_REQUEST,
  type InvitationStatus,
  type InviteOutcome,
} from '../invitations.constants.js';

export class CreateInvitationsDto {
  /** Contacts to invite (each bound to their current email address). */
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_INVITATIONS_PER_REQUEST,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INVITATIONS_PER_REQUEST)
  @IsUUID('all', { each: true })
  contactIds: string[];

  /** A personal note shown in the email and on the invitation page. */
  @IsOptional()
  @IsText(5000)
  message?: string | null;
}

export class InviteResultDto {
  @ApiUuid()
  contactId: string;
  /**
   * `invited` (email on its way), `already_invited` (pending; use resend),
   * `already_registered`, `declined_before`, `no_email`, `erased`, `unknown_contact`.
   */
  @ApiProperty({ enum: INVITE_OUTCOMES })
  outcome: InviteOutcome;
  /** The invitation concerned, when there is one. */
  @ApiUuid()
  invitationId: string | null;
}

export class InviteReportDto {
  /** How many were invited now (an email each). */
  @ApiInteger()
  invited: number;
  /** One entry per distinct contact id, in request order. */
  @ApiProperty({ type: [InviteResultDto] })
  results: InviteResultDto[];
}

export class ListInvitationsQuery extends PageQueryDto {
  /** Only invitations in this status (`expired`: pending, but registration has closed). */
  @IsOptional()
  @IsIn(INVITATION_STATUSES)
  status?: InvitationStatus;

  /** Only invitations changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

export class InvitationDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  tripId: string;
  @ApiUuid()
  contactId: string;
  /** The address invited. */
  @ApiText(320)
  email: string;
  /** `expired` once registration has closed without an answer. */
  @ApiProperty({ enum: INVITATION_STATUSES })
  status: InvitationStatus;
  /** The agency's personal note. */
  @ApiText(5000)
  message: string | null;
  /** Emails sent for it: 1 + resends. */
  @ApiInteger()
  sendCount: number;
  lastSentAt: Date;
  /** When the invitee registered or declined. */
  answeredAt: Date | null;
  /** When registration closes (the link stops working); null while the trip sets no deadline. */
  expiresAt: Date | null;
  /** The registration it led to. */
  @ApiUuid()
  participantId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;
}
