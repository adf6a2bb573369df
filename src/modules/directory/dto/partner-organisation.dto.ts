import { ApiCountry, ApiInteger, ApiText, ApiTexts, ApiUuid } from '../../../common/openapi.js';
import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import {
  IsCountryCode,
  IsInstant,
  IsTags,
  IsText,
  IsWebsite,
  IsYear,
} from '../../../common/validation.js';
import { ORGANISATION_KINDS, type OrganisationKind } from '../directory.constants.js';
import type { PartnerOrganisation } from '../entities/partner-organisation.entity.js';

export class CreatePartnerOrganisationDto {
  /** Full name, e.g. "Thüringisches Institut für Textil- und Kunststoff-Forschung e.V.". */
  @IsText(300)
  name: string;

  /** Short name or acronym, e.g. "TITK", "ATAMEKEN". */
  @IsOptional()
  @IsText(100)
  shortName?: string | null;

  /** What kind of organisation it is. */
  @IsIn(ORGANISATION_KINDS)
  kind: OrganisationKind;

  /** Where it is based. */
  @IsCountryCode()
  country: string;

  /** Where it is based. */
  @IsOptional()
  @IsText(100)
  city?: string | null;

  /** Its website, an http(s) address. */
  @IsOptional()
  @IsWebsite()
  website?: string | null;

  /** Sectors it works in, as free tags. */
  @IsOptional()
  @IsTags()
  sectors?: string[];

  /** Commercial register number or similar. */
  @IsOptional()
  @IsText(100)
  registerId?: string | null;

  /** Internal notes of the agency. */
  @IsOptional()
  @IsText(10_000)
  notes?: string | null;
}

/** Any subset of the fields; `null` clears an optional one. */
export class UpdatePartnerOrganisationDto extends PartialType(CreatePartnerOrganisationDto, {
  skipNullProperties: false,
}) {}

export class ListPartnerOrganisationsQuery extends PageQueryDto {
  /** Finds by name or short name, ignoring case and accents and forgiving small typos. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  /** Only organisations based in this country. */
  @IsOptional()
  @IsCountryCode()
  country?: string;

  /** Only organisations of this kind. */
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  /** Only organisations tagged with this sector (exact tag). */
  @IsOptional()
  @IsText(60)
  sector?: string;

  /** Only organisations represented by participants taking part in this trip (confirmed, attended). */
  @IsOptional()
  @IsUUID()
  representedOnTrip?: string;

  /** Only organisations met in this trip's official appointments (as the trip report counts them). */
  @IsOptional()
  @IsUUID()
  metOnTrip?: string;

  /**
   * Only organisations reached in this year, as the annual report counts them: represented by
   * participants of the year's trips or met in official appointments held in it.
   */
  @IsOptional()
  @IsYear()
  reachedIn?: number;

  /** Only organisations changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

export class PartnerOrganisationDto {
  @ApiUuid()
  id: string;
  @ApiText(300)
  name: string;
  @ApiText(100)
  shortName: string | null;
  kind: OrganisationKind;
  /** ISO 3166-1 alpha-2. */
  @ApiCountry()
  country: string;
  @ApiText(100)
  city: string | null;
  @ApiProperty({ type: String, format: 'uri', maxLength: 500 })
  website: string | null;
  @ApiTexts(60)
  sectors: string[];
  @ApiText(100)
  registerId: string | null;
  @ApiText(10_000)
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;
  /** Agreements it is party to, per status (statuses with none are left out). */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { in_force: 2, expired: 1 },
  })
  agreementCounts: Record<string, number>;

  static from(
    organisation: PartnerOrganisation,
    agreementCounts: Record<string, number>,
  ): PartnerOrganisationDto {
    return {
      id: organisation.id,
      name: organisation.name,
      shortName: organisation.shortName,
      kind: organisation.kind,
      country: organisation.country,
      city: organisation.city,
      website: organisation.website,
      sectors: organisation.sectors,
      registerId: organisation.registerId,
      notes: organisation.notes,
      createdAt: organisation.createdAt,
      updatedAt: organisation.updatedAt,
      version: organisation.version,
      agreementCounts,
    };
  }
}
