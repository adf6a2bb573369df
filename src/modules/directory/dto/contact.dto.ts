import { ApiInteger, ApiText, ApiUuid } from '../../../common/openapi.js';
import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import {
  IsEmailAddress,
  IsInstant,
  IsLanguageCode,
  IsText,
  IsYear,
} from '../../../common/validation.js';
import type { Contact } from '../entities/contact.entity.js';

export class CreateContactDto {
  /** The organisation they belong to, if any. */
  @IsOptional()
  @IsUUID()
  partnerOrganisationId?: string | null;

  /** "Dr.", "Prof. Dr."... */
  @IsOptional()
  @IsText(50)
  title?: string | null;

  /** Given name(s). */
  @IsOptional()
  @IsText(100)
  firstName?: string | null;

  /** Family name; the only required field. */
  @IsText(100)
  lastName: string;

  /** "First Deputy Minister", "Head of Department"... */
  @IsOptional()
  @IsText(200)
  position?: string | null;

  /** Unique among your contacts, ignoring case. */
  @IsOptional()
  @IsEmailAddress()
  email?: string | null;

  /** As you would dial it, e.g. "+7 727 123 45 67". */
  @IsOptional()
  @IsText(50)
  phone?: string | null;

  /** ISO 639-1 code (`de`, `en`, `ru`...); messages use it when a template exists. */
  @IsOptional()
  @IsLanguageCode()
  preferredLanguage?: string | null;

  /** Internal notes of the agency. */
  @IsOptional()
  @IsText(10_000)
  notes?: string | null;
}

/** Any subset of the fields; `null` clears an optional one. */
export class UpdateContactDto extends PartialType(CreateContactDto, {
  skipNullProperties: false,
}) {}

export class ListContactsQuery extends PageQueryDto {
  /** Finds by name, email or organisation name, ignoring case and accents, forgiving small typos. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  /** Only contacts of this partner organisation. */
  @IsOptional()
  @IsUUID()
  partnerOrganisationId?: string;

  /** Only contacts changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;

  /**
   * Only people reached in this year, as the annual report counts them: registered for or taking
   * part in one of the year's trips (registrations rejected aside).
   */
  @IsOptional()
  @IsYear()
  reachedIn?: number;
}

export class ContactDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  partnerOrganisationId: string | null;
  @ApiText(50)
  title: string | null;
  @ApiText(100)
  firstName: string | null;
  /** `[erased]` once the person's data was erased. */
  @ApiText(100)
  lastName: string;
  @ApiText(200)
  position: string | null;
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  email: string | null;
  @ApiText(50)
  phone: string | null;
  /** ISO 639-1 code. */
  @ApiProperty({ type: String, pattern: '^[a-z]{2}$', minLength: 2, maxLength: 2 })
  preferredLanguage: string | null;
  @ApiText(10_000)
  notes: string | null;
  /** Set when the person's data was erased on request; the record then identifies nobody. */
  erasedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;

  static from(contact: Contact): ContactDto {
    return {
      id: contact.id,
      partnerOrganisationId: contact.partnerOrganisationId,
      title: contact.title,
      firstName: contact.firstName,
      lastName: contact.lastName,
      position: contact.position,
      email: contact.email,
      phone: contact.phone,
      preferredLanguage: contact.preferredLanguage,
      notes: contact.notes,
      erasedAt: contact.erasedAt,
      createdAt: contact.createdAt,
      updatedAt: contact.updatedAt,
      version: contact.version,
    };
  }
}
