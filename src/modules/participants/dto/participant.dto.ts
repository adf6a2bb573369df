import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import { ApiInteger, ApiText, ApiTimestamp, ApiUuid } from '../../../common/openapi.js';
import { iso, type WireRow } from '../../../database/wire-timestamps.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import {
  IsCountryCode,
  IsInstant,
  IsText,
  NestedObject,
  OneOrMoreOf,
  Optional,
} from '../../../common/validation.js';
import { ORGANISATION_KINDS, type OrganisationKind } from '../../directory/directory.constants.js';
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

  /** Their role on the trip; `staff` never take a seat. */
  @IsIn(PARTICIPANT_ROLES)
  role: ParticipantRole;

  /** Which part of society they come from, for the trip's statistics. */
  @IsIn(PARTICIPANT_CATEGORIES)
  category: ParticipantCategory;

  /** E.g. "vegetarian", "halal". */
  @IsOptional()
  @IsText(500)
  dietaryNeeds?: string | null;

  /** What they need to take part, e.g. "wheelchair". */
  @IsOptional()
  @IsText(500)
  accessibilityNeeds?: string | null;

  /** Arrival details (flight, time). */
  @IsOptional()
  @IsText(500)
  arrival?: string | null;

  /** Departure details (flight, time). */
  @IsOptional()
  @IsText(500)
  departure?: string | null;

  /** Whether they need a visa for the trip (default false). */
  @Optional()
  @IsBoolean()
  visaRequired?: boolean;

  /** Where their visa stands (default `not_needed`). */
  @Optional()
  @IsIn(VISA_STATUSES)
  visaStatus?: VisaStatus;

  /** Answers to the trip's registration questions. */
  @Optional()
  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  answers?: Record<string, unknown>;

  /** Internal notes of the agency. */
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
  @NestedObject(() => CreateContactDto)
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
  /** Only participants in this status, or in one of these (`confirmed,attended`). */
  @IsOptional()
  @OneOrMoreOf(PARTICIPANT_STATUSES)
  status?: ParticipantStatus[];

  /** Only participants in this role. */
  @IsOptional()
  @IsIn(PARTICIPANT_ROLES)
  role?: ParticipantRole;

  /** Only participants of this category. */
  @IsOptional()
  @IsIn(PARTICIPANT_CATEGORIES)
  category?: ParticipantCategory;

  /** Only participants representing this partner organisation. */
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  /** Only participants representing an organisation of this kind. */
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  organisationKind?: OrganisationKind;

  /** Only participants representing an organisation based in this country. */
  @IsOptional()
  @IsCountryCode()
  organisationCountry?: string;

  /** Only participants whose visa stands so. */
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
  @ApiTimestamp()
  registeredAt: string;
  @ApiTimestamp()
  statusChangedAt: string;
  @ApiText(500)
  dietaryNeeds: string | null;
  @ApiText(500)
  accessibilityNeeds: string | null;
  @ApiText(500)
  arrival: string | null;
  @ApiText(500)
  departure: string | null;
  visaRequired: boolean;
  visaStatus: VisaStatus;
  answers: Record<string, unknown>;
  @ApiText(10_000)
  notes: string | null;
  @ApiTimestamp({ nullable: true })
  consentAt: string | null;
  @ApiTimestamp()
  createdAt: string;
  @ApiTimestamp()
  updatedAt: string;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;

  /** From the entity or from a hot read's row (timestamps already text). */
  static from(participant: Participant | WireRow<Participant>): ParticipantDto {
    return {
      id: participant.id,
      tripId: participant.tripId,
      contactId: participant.contactId,
      organisationId: participant.organisationId,
      role: participant.role,
      category: participant.category,
      status: participant.status,
      waitlistPosition: participant.waitlistPosition,
      registeredAt: iso(participant.registeredAt),
      statusChangedAt: iso(participant.statusChangedAt),
      dietaryNeeds: participant.dietaryNeeds,
      accessibilityNeeds: participant.accessibilityNeeds,
      arrival: participant.arrival,
      departure: participant.departure,
      visaRequired: participant.visaRequired,
      visaStatus: participant.visaStatus,
      answers: participant.answers,
      notes: participant.notes,
      consentAt: iso(participant.consentAt),
      createdAt: iso(participant.createdAt),
      updatedAt: iso(participant.updatedAt),
      version: participant.version,
    };
  }
}
