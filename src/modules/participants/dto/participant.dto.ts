import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { ApiInteger, ApiUuid } from '../../../common/openapi.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import { IsInstant, IsText, Optional } from '../../../common/validation.js';
import { CreateContactDto } from '../../directory/dto/contact.dto.js';
import type { Participant } from '../entities/participant.entity.js';
import {
  PARTICIPANT_CATEGORIES,
  PARTICIPANT_ROLES,
  PARTICIPANT_STATUSES,
  VISA_STATUSES,
  type ParticipantCategory,
  type ParticipantRole,
  type ParticipantStatus,
  type VisaStatus,
} from '../participants.constants.js';

/** The fields of a registration; participants edit a subset themselves (public.dto.ts). */
export class ParticipantFieldsDto {
  /** The organisation represented; defaults to the contact's. Its representatives share its seat cap. */
  @IsOptional()
  @IsUUID()
  organisationId?: string | null;

  @IsIn(PARTICIPANT_ROLES)
  role: ParticipantRole;

  @IsIn(PARTICIPANT_CATEGORIES)
  category: ParticipantCategory;

  @IsOptional()
  @IsText(500)
  dietaryNeeds?: string | null;

  @IsOptional()
  @IsText(500)
  accessibilityNeeds?: string | null;

  /** Arrival details (flight, time). */
  @IsOptional()
  @IsText(500)
  arrival?: string | null;

  @IsOptional()
  @IsText(500)
  departure?: string | null;

  @Optional()
  @IsBoolean()
  visaRequired?: boolean;

  @Optional()
  @IsIn(VISA_STATUSES)
  visaStatus?: VisaStatus;

  /** Answers to the trip's registration questions. */
  @Optional()
  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  answers?: Record<string, unknown>;

  @IsOptional()
  @IsText(10_000)
  notes?: string | null;
}

export class CreateParticipantDto extends ParticipantFieldsDto {
  /** An existing contact; or give `contact` instead. */
  @IsOptional()
  @IsUUID()
  contactId?: string;

  /** A person not yet (or maybe) in the directory: matched by email, else created. */
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateContactDto)
  contact?: CreateContactDto;
}

/** Any subset of the fields; the status changes through transitions. */
export class UpdateParticipantDto extends PartialType(ParticipantFieldsDto, {
  skipNullProperties: false,
}) {}

export class ParticipantTransitionDto {
  /** The status to move to (see the participant lifecycle). */
  @IsIn(PARTICIPANT_STATUSES)
  to: ParticipantStatus;
}

export class ListParticipantsQuery extends PageQueryDto {
  @IsOptional()
  @IsIn(PARTICIPANT_STATUSES)
  status?: ParticipantStatus;

  @IsOptional()
  @IsIn(PARTICIPANT_ROLES)
  role?: ParticipantRole;

  @IsOptional()
  @IsIn(PARTICIPANT_CATEGORIES)
  category?: ParticipantCategory;

  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @IsOptional()
  @IsIn(VISA_STATUSES)
  visaStatus?: VisaStatus;

  /** Only participants changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

export class ParticipantDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  tripId: string;
  @ApiUuid()
  contactId: string;
  @ApiUuid()
  organisationId: string | null;
  role: ParticipantRole;
  category: ParticipantCategory;
  /** Read-only; change it with POST .../transitions. */
  status: ParticipantStatus;
  /** Place in line while waitlisted (1 = next); null otherwise. */
  @ApiInteger()
  waitlistPosition: number | null;
  /** Arrival order, which the waitlist follows. */
  registeredAt: Date;
  statusChangedAt: Date;
  dietaryNeeds: string | null;
  accessibilityNeeds: string | null;
  arrival: string | null;
  departure: string | null;
  visaRequired: boolean;
  visaStatus: VisaStatus;
  answers: Record<string, unknown>;
  notes: string | null;
  consentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;

  static from(participant: Participant): ParticipantDto {
    return Object.assign(new ParticipantDto(), {
      id: participant.id,
      tripId: participant.tripId,
      contactId: participant.contactId,
      organisationId: participant.organisationId,
      role: participant.role,
      category: participant.category,
      status: participant.status,
      waitlistPosition: participant.waitlistPosition,
      registeredAt: participant.registeredAt,
      statusChangedAt: participant.statusChangedAt,
      dietaryNeeds: participant.dietaryNeeds,
      accessibilityNeeds: participant.accessibilityNeeds,
      arrival: participant.arrival,
      departure: participant.departure,
      visaRequired: participant.visaRequired,
      visaStatus: participant.visaStatus,
      answers: participant.answers,
      notes: participant.notes,
      consentAt: participant.consentAt,
      createdAt: participant.createdAt,
      updatedAt: participant.updatedAt,
      version: participant.version,
    });
  }
}
