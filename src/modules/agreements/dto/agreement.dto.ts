import { ApiProperty, IntersectionType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { ApiCountry, ApiDate, ApiText, ApiUuid, ApiUuids } from '../../../common/openapi.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import {
  IsCalendarDate,
  IsCountryCode,
  IsHttpsUrl,
  IsInstant,
  IsTags,
  IsText,
  NestedObject,
  NestedObjects,
  Optional,
  IsYear,
  ToBoolean,
} from '../../../common/validation.js';
import {
  AGREEMENT_CATEGORIES,
  AGREEMENT_KINDS,
  AGREEMENT_STATUSES,
  type AgreementCategory,
  type AgreementKind,
  type AgreementStatus,
} from '../agreements.constants.js';

/** A partner organisation that is party to the agreement, and who signs for it. */
export class PartyDto {
  @ApiUuid()
  @IsUUID()
  organisationId: string;

  /** Contacts who sign for this party (in order); may stay empty until it is signed. */
  @Optional()
  @ApiUuids()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  signatoryContactIds?: string[];
}

/** Where it was signed. */
export class SignedInDto {
  @IsText(100)
  city: string;

  /** ISO 3166-1 alpha-2. */
  @IsCountryCode()
  country: string;
}

export class CreateAgreementDto {
  /** E.g. "MoU on vocational training with ATAMEKEN". */
  @IsText(300)
  title: string;

  @IsIn(AGREEMENT_KINDS)
  kind: AgreementKind;

  @IsIn(AGREEMENT_CATEGORIES)
  category: AgreementCategory;

  /** At least one partner organisation, each once, in order. */
  @ApiProperty({ type: () => PartyDto, isArray: true, minItems: 1, maxItems: 50 })
  @NestedObjects(() => PartyDto, 1, 50)
  parties: PartyDto[];

  /** The agency itself signs too. Default false. */
  @Optional()
  @IsBoolean()
  agencyIsParty?: boolean;

  /** The trip it came from. */
  @IsOptional()
  @IsUUID()
  tripId?: string | null;

  /** The meeting of that trip where it was signed or agreed; needs `tripId`. */
  @IsOptional()
  @IsUUID()
  meetingId?: string | null;

  @IsOptional()
  @IsText(10_000)
  summary?: string | null;

  /** The day it was signed; required from `signed` on. */
  @IsOptional()
  @IsCalendarDate()
  signedOn?: string | null;

  @IsOptional()
  @NestedObject(() => SignedInDto)
  signedIn?: SignedInDto | null;

  /** The last day it is valid; an agreement in force expires the day after (agency's timezone). */
  @IsOptional()
  @IsCalendarDate()
  validUntil?: string | null;

  /** An https link to the signed document. */
  @IsOptional()
  @IsHttpsUrl()
  documentUrl?: string | null;

  @IsOptional()
  @IsTags()
  tags?: string[];
}

export class UpdateAgreementDto extends PartialType(CreateAgreementDto, {
  skipNullProperties: false,
}) {}

export class AgreementTransitionDto {
  /** See the lifecycle: `draft → negotiating → signed → in_force → expired | terminated`, … */
  @IsIn(AGREEMENT_STATUSES)
  to: AgreementStatus;

  /**
   * The day it happened (default: today in the agency's timezone), not in the future.
   * Becomes `statusSince`; for `signed` also `signedOn`.
   */
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}

/** The agreement list's filters (the export takes them too). */
export class AgreementFilters {
  /** Only agreements in this status. */
  @IsOptional()
  @IsIn(AGREEMENT_STATUSES)
  status?: AgreementStatus;

  /** true: only agreements that were signed (signed, in force, expired or terminated since); false: the others. */
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  signed?: boolean;

  /** Only agreements of this kind. */
  @IsOptional()
  @IsIn(AGREEMENT_KINDS)
  kind?: AgreementKind;

  /** Only agreements of this category. */
  @IsOptional()
  @IsIn(AGREEMENT_CATEGORIES)
  category?: AgreementCategory;

  /** Agreements from this trip. */
  @IsOptional()
  @IsUUID()
  tripId?: string;

  /** Agreements this partner organisation is party to. */
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  /** Agreements with a party from this country (ISO 3166-1 alpha-2). */
  @IsOptional()
  @IsCountryCode()
  country?: string;

  /** Signed in this calendar year. */
  @IsOptional()
  @IsYear()
  year?: number;

  /** Signed on or after this day. */
  @IsOptional()
  @IsCalendarDate()
  signedFrom?: string;

  /** Signed on or before this day. */
  @IsOptional()
  @IsCalendarDate()
  signedTo?: string;

  /** Words of the title or a party's name; accents, case and small typos do not matter. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  /** Only agreements changed at or after this instant. */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

export class ListAgreementsQuery extends IntersectionType(PageQueryDto, AgreementFilters) {}

export class PartyViewDto {
  @ApiUuid()
  organisationId: string;
  @ApiUuids()
  signatoryContactIds: string[];
}

export class SignedInViewDto {
  @ApiText(100)
  city: string;
  @ApiCountry()
  country: string;
}

export class AgreementDto {
  @ApiUuid()
  id: string;
  @ApiText(300)
  title: string;
  kind: AgreementKind;
  category: AgreementCategory;
  status: AgreementStatus;
  /** The day the current status took effect. */
  @ApiDate()
  statusSince: string;
  /** The statuses it can move to now. */
  @ApiProperty({ enum: AGREEMENT_STATUSES, isArray: true })
  allowedTransitions: AgreementStatus[];
  @ApiProperty({ type: () => PartyViewDto, isArray: true })
  parties: PartyViewDto[];
  agencyIsParty: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  tripId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  meetingId: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 10_000 })
  summary: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true })
  signedOn: string | null;
  @ApiProperty({ type: () => SignedInViewDto, nullable: true })
  signedIn: SignedInViewDto | null;
  @ApiProperty({ type: String, format: 'date', nullable: true })
  validUntil: string | null;
  @ApiProperty({ type: String, format: 'uri', nullable: true, maxLength: 2000 })
  documentUrl: string | null;
  @ApiProperty({ type: [String] })
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiProperty({ type: 'integer' })
  version: number;
}

/** Agreements per status, e.g. `{ "signed": 2, "in_force": 5 }` (statuses with none left out). */
export const AGREEMENT_COUNTS_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  example: { negotiating: 1, in_force: 5, expired: 2 },
} as const;
