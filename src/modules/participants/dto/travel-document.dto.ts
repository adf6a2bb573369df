import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import { ApiCountry, ApiDate, ApiInteger, ApiUuid } from '../../../common/openapi.js';
import { IsCalendarDate, IsCountryCode } from '../../../common/validation.js';

export class PutTravelDocumentDto {
  /** As printed in the passport; spaces and dashes are dropped and letters upper-cased. */
  @ApiProperty({ pattern: '^[A-Z0-9]{5,20}$', example: 'C01X00T47', minLength: 5, maxLength: 20 })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.replace(/[\s-]/g, '').toUpperCase() : value,
  )
  @IsString()
  @Matches(/^[A-Z0-9]{5,20}$/, { message: '$property must be 5 to 20 letters and digits' })
  passportNumber: string;

  /** ISO 3166-1 alpha-2. */
  @IsCountryCode()
  nationality: string;

  /** ISO 3166-1 alpha-2. */
  @IsCountryCode()
  issuingCountry: string;

  /** Day of issue (YYYY-MM-DD), if known. */
  @IsOptional()
  @IsCalendarDate()
  issuedOn?: string | null;

  /** Last day of validity (YYYY-MM-DD), not before `issuedOn`. */
  @IsCalendarDate()
  expiresOn: string;
}

export class TravelDocumentDto {
  @ApiUuid()
  participantId: string;
  /** In full for callers allowed to read personal data (`pii:read`, organisers and up), else masked. */
  @ApiProperty({ example: 'C01X00T47', maxLength: 20 })
  passportNumber: string;
  /** ISO 3166-1 alpha-2. */
  @ApiCountry()
  nationality: string;
  /** ISO 3166-1 alpha-2. */
  @ApiCountry()
  issuingCountry: string;
  @ApiDate()
  issuedOn: string | null;
  @ApiDate()
  expiresOn: string;
  /** The passport should be valid at least until this day: the trip's end plus the agency's margin. */
  @ApiDate()
  validityRequiredUntil: string;
  /** True when the passport expires before `validityRequiredUntil`; accepted, but counted in the trip's readiness. */
  expiryWarning: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;
}
