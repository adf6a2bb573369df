import { ApiInteger, ApiUuid } from '../../../common/openapi.js';
import { PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import { IsEmailAddress, IsInstant, IsLanguageCode, IsText } from '../../../common/validation.js';
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

  @IsOptional()
  @IsText(100)
  firstName?: string | null;

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

  @IsOptional()
  @IsText(50)
  phone?: string | null;

  /** ISO 639-1 code (`de`, `en`, `ru`...); messages use it when a template exists. */
  @IsOptional()
  @IsLanguageCode()
  preferredLanguage?: string | null;

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

  @IsOptional()
  @IsUUID()
  partnerOrganisationId?: string;

  /** Only contacts changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

export class ContactDto {
  @ApiUuid()
  id: string;
  @ApiUuid()
  partnerOrganisationId: string | null;
  title: string | null;
  firstName: string | null;
  lastName: string;
  position: string | null;
  email: string | null;
  phone: string | null;
  preferredLanguage: string | null;
  notes: string | null;
  /** Set when the person's data was erased on request; the record then identifies nobody. */
  erasedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;

  static from(contact: Contact): ContactDto {
    return Object.assign(new ContactDto(), {
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
    });
  }
}
