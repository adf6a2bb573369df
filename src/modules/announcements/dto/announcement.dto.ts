import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsUUID,
} from 'class-validator';
import { ApiInteger, ApiUuid, ApiUuids } from '../../../common/openapi.js';
import { IsInstant, IsText, NestedObject } from '../../../common/validation.js';
import {
  PARTICIPANT_CATEGORIES,
  PARTICIPANT_ROLES,
  PARTICIPANT_STATUSES,
  type ParticipantCategory,
  type ParticipantRole,
  type ParticipantStatus,
} from '../../participants/participants.constants.js';
import {
  ANNOUNCEMENT_STATUSES,
  MAX_ANNOUNCEMENT_BODY,
  MAX_ANNOUNCEMENT_SUBJECT,
  MAX_NAMED_PARTICIPANTS,
  type AnnouncementStatus,
} from '../announcements.constants.js';

/** The subject line in German and/or English. */
export class SubjectTextsDto {
  @IsOptional()
  @IsText(MAX_ANNOUNCEMENT_SUBJECT)
  de?: string;

  @IsOptional()
  @IsText(MAX_ANNOUNCEMENT_SUBJECT)
  en?: string;
}

/** The message in German and/or English: plain text or Markdown (raw HTML is shown as text). */
export class BodyTextsDto {
  @IsOptional()
  @IsText(MAX_ANNOUNCEMENT_BODY)
  de?: string;

  @IsOptional()
  @IsText(MAX_ANNOUNCEMENT_BODY)
  en?: string;
}

/**
 * Who of the trip's delegation gets it: participants matching every filter
 * given. Leave a filter out to not narrow by it.
 */
export class AudienceDto {
  /** Registration statuses; default `["confirmed"]`. */
  @ApiPropertyOptional({ enum: PARTICIPANT_STATUSES, isArray: true, default: ['confirmed'] })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(PARTICIPANT_STATUSES, { each: true })
  statuses?: ParticipantStatus[];

  /** Roles in the delegation, e.g. `["delegation_lead", "member"]`. */
  @ApiPropertyOptional({ enum: PARTICIPANT_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(PARTICIPANT_ROLES, { each: true })
  roles?: ParticipantRole[];

  /** Categories, e.g. `["science"]`. */
  @ApiPropertyOptional({ enum: PARTICIPANT_CATEGORIES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(PARTICIPANT_CATEGORIES, { each: true })
  categories?: ParticipantCategory[];

  /**
   * A station of the trip: only those attending a meeting there that is not
   * cancelled (e.g. "everyone with appointments in Almaty").
   */
  @IsOptional()
  @IsUUID()
  stationId?: string;

  /** Named participants of the trip (at most 1000), still narrowed by the filters above. */
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_NAMED_PARTICIPANTS })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(MAX_NAMED_PARTICIPANTS)
  @IsUUID('all', { each: true })
  participantIds?: string[];
}

export class CreateAnnouncementDto {
  /** In German, English or both; with both, each recipient reads their language. */
  @NestedObject(() => SubjectTextsDto)
  subject: SubjectTextsDto;

  /** In the same languages as the subject. */
  @NestedObject(() => BodyTextsDto)
  body: BodyTextsDto;

  /** Default: every confirmed participant. */
  @IsOptional()
  @NestedObject(() => AudienceDto)
  audience?: AudienceDto;

  /** When it goes out (ISO 8601, not in the past); default now. */
  @IsOptional()
  @IsInstant()
  sendAt?: Date;
}

/** Texts as stored: the languages given. */
export class TextsDto {
  @ApiPropertyOptional()
  de?: string;
  @ApiPropertyOptional()
  en?: string;
}

/** The audience as chosen, filters not given as null. */
export class AudienceViewDto {
  @ApiProperty({ enum: PARTICIPANT_STATUSES, isArray: true })
  statuses: ParticipantStatus[];
  @ApiProperty({ enum: PARTICIPANT_ROLES, isArray: true, nullable: true })
  roles: ParticipantRole[] | null;
  @ApiProperty({ enum: PARTICIPANT_CATEGORIES, isArray: true, nullable: true })
  categories: ParticipantCategory[] | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  stationId: string | null;
  @ApiUuids()
  participantIds: string[] | null;
}

/** How its messages stand, one per recipient (the delivery log has each). */
export class AnnouncementDeliveryDto {
  @ApiInteger()
  sent: number;
  @ApiInteger()
  failed: number;
  /** Not yet sent: waiting for `sendAt`, queued or being sent. */
  @ApiInteger()
  pending: number;
  /** Not sent: withdrawn, the recipient left the audience, or was erased. */
  @ApiInteger()
  cancelled: number;
}

export class AnnouncementDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  tripId: string;
  subject: TextsDto;
  body: TextsDto;
  audience: AudienceViewDto;
  sendAt: Date;
  /**
   * `scheduled` (before `sendAt`), `sending`, `sent` (nothing left to send),
   * or `withdrawn` (staff stopped what had not gone out).
   */
  @ApiProperty({ enum: ANNOUNCEMENT_STATUSES })
  status: AnnouncementStatus;
  /** How many people it was written to. */
  @ApiInteger()
  recipients: number;
  delivery: AnnouncementDeliveryDto;
  /** The staff member who wrote it; null for an integration. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  createdBy: string | null;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;
}
