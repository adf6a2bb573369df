import { ApiProperty, PickType } from '@nestjs/swagger';
import { ApiInteger, ApiText, ApiUuid } from '../../../common/openapi.js';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import {
  IsEmailAddress,
  IsHttpsUrl,
  IsInstant,
  IsText,
  IsTimezone,
  Optional,
  ToBoolean,
} from '../../../common/validation.js';
import type { Tenant } from '../entities/tenant.entity.js';
import type { User } from '../entities/user.entity.js';
import { IsAcceptablePassword } from '../passwords.js';
import { LOCALES, ROLES, type Locale, type Role } from '../roles.js';

export class CreateUserDto {
  /** Their email; they sign in with it. Unique across Delegation Desk. */
  @IsEmailAddress()
  email: string;

  /** Their name, as colleagues and the audit trail show it. */
  @IsText(200)
  name: string;

  /** Only an owner can create another owner. */
  @IsIn(ROLES)
  role: Role;

  /** Initial password to hand over; at least 12 characters, not a common one. */
  @IsString()
  @IsAcceptablePassword()
  password: string;

  /** Language of the emails they receive; defaults to the organisation's. */
  @Optional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class UpdateUserDto {
  /** Their name. */
  @Optional()
  @IsText(200)
  name?: string;

  /** Only an owner can grant or take away the owner role. */
  @Optional()
  @IsIn(ROLES)
  role?: Role;

  /** Language of the emails they receive. */
  @Optional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class ListUsersQuery extends PageQueryDto {
  /** Only staff with this role. */
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  /** true: only active users; false: only deactivated ones. */
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  active?: boolean;

  /** Only users changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

export class UserDto {
  @ApiUuid()
  id: string;
  /** They sign in with it; unique across Delegation Desk. */
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  email: string;
  @ApiText(200)
  name: string;
  role: Role;
  locale: Locale;
  /** Deactivated users cannot sign in. */
  active: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Increases with every change; sent as the ETag. */
  @ApiInteger()
  version: number;

  static from(user: User): UserDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      locale: user.locale,
      active: user.active,
      lastLoginAt: user.lastLoginAt,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
      version: user.version,
    };
  }
}

export class TenantDto {
  @ApiUuid()
  id: string;
  @ApiText(200)
  name: string;
  /** URL-friendly name, unique across Delegation Desk. */
  @ApiText(80)
  slug: string;
  /** Language of messages to people who have not chosen one. */
  defaultLocale: Locale;
  /** IANA timezone of the agency. */
  @ApiText(64)
  timezone: string;
  /** Travel documents are deleted this many days after their trip ends. */
  @ApiInteger()
  travelDocumentRetentionDays: number;
  /** Passports expiring less than this many months after a trip's end are flagged. */
  @ApiInteger()
  passportValidityMarginMonths: number;
  /** Meeting reminders go out this many hours before the meeting starts. */
  @ApiInteger()
  meetingReminderHours: number;
  /** Departure reminders go out this many days before a trip starts. */
  @ApiProperty({ type: 'integer', isArray: true, example: [7, 1] })
  departureReminderDays: number[];
  /** …at this hour in the agency's timezone (travel-document reminders too). */
  @ApiInteger()
  departureReminderHour: number;
  /** Missing passports are reminded of this many days before a trip starts, then weekly. */
  @ApiInteger()
  travelDocumentReminderDays: number;
  /** Follow-up owners are reminded at this hour (agency's timezone) on the due day… */
  @ApiInteger()
  followUpReminderHour: number;
  /** …and once more this many days later while it is still open. */
  @ApiInteger()
  followUpOverdueDays: number;
  /** The agency's logo on the participant pages. */
  @ApiProperty({ type: String, format: 'uri', nullable: true, maxLength: 2000 })
  logoUrl: string | null;
  /** Buttons and headings on the participant pages, `#rrggbb`. */
  @ApiProperty({ type: String, nullable: true, pattern: '^#[0-9a-f]{6}$' })
  accentColor: string | null;
  /** The agency's privacy text, shown where participants consent when registering. */
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  privacyNotice: string | null;
  /** Sent as the ETag (of GET /tenant). */
  @ApiInteger()
  version: number;

  static from(tenant: Tenant): TenantDto {
    return {
      id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      defaultLocale: tenant.defaultLocale,
      timezone: tenant.timezone,
      travelDocumentRetentionDays: tenant.travelDocumentRetentionDays,
      passportValidityMarginMonths: tenant.passportValidityMarginMonths,
      meetingReminderHours: tenant.meetingReminderHours,
      departureReminderDays: tenant.departureReminderDays,
      departureReminderHour: tenant.departureReminderHour,
      travelDocumentReminderDays: tenant.travelDocumentReminderDays,
      followUpReminderHour: tenant.followUpReminderHour,
      followUpOverdueDays: tenant.followUpOverdueDays,
      logoUrl: tenant.logoUrl,
      accentColor: tenant.accentColor,
      privacyNotice: tenant.privacyNotice,
      version: tenant.version,
    };
  }
}

/** The agency's own settings; any subset. */
export class UpdateTenantDto {
  /** The agency's name, as participants see it. */
  @Optional()
  @IsText(200)
  name?: string;

  /** Language of messages to people who have not chosen one. */
  @Optional()
  @IsIn(LOCALES)
  defaultLocale?: Locale;

  /** IANA timezone of the agency's office. */
  @Optional()
  @IsTimezone()
  timezone?: string;

  /** Days after a trip's end until its travel documents are deleted (0-3650). */
  @Optional()
  @ApiInteger()
  @IsInt()
  @Min(0)
  @Max(3650)
  travelDocumentRetentionDays?: number;

  /** Months a passport must stay valid after a trip's end before it is flagged (0-24). */
  @Optional()
  @ApiInteger()
  @IsInt()
  @Min(0)
  @Max(24)
  passportValidityMarginMonths?: number;

  /**
   * Hours before a meeting its reminder goes out (1-168; default 24). Applies to reminders
   * planned from then on.
   */
  @Optional()
  @ApiInteger()
  @IsInt()
  @Min(1)
  @Max(168)
  meetingReminderHours?: number;

  /**
   * Days before a trip starts that confirmed participants are reminded of the departure: one
   * to three different days, each 1-60 (default `[7, 1]`); `[]` sends none.
   */
  @Optional()
  @ApiProperty({ type: 'integer', isArray: true, maxItems: 3, uniqueItems: true, example: [7, 1] })
  @IsArray()
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(60, { each: true })
  departureReminderDays?: number[];

  /**
   * Days before a trip starts that confirmed participants who need a visa and have no passport
   * on file (or one expiring too soon) are first reminded, then weekly until it starts (1-90,
   * default 21).
   */
  @Optional()
  @ApiInteger()
  @IsInt()
  @Min(1)
  @Max(90)
  travelDocumentReminderDays?: number;

  /** The hour (0-23, agency's timezone) departure and travel-document reminders go out (default 9). */
  @Optional()
  @ApiInteger()
  @IsInt()
  @Min(0)
  @Max(23)
  departureReminderHour?: number;

  /** The hour (0-23, agency's timezone) follow-up owners are reminded on the due day (default 8). */
  @Optional()
  @ApiInteger()
  @IsInt()
  @Min(0)
  @Max(23)
  followUpReminderHour?: number;

  /** Days after the due day an open follow-up is reminded of again (1-90, default 7). */
  @Optional()
  @ApiInteger()
  @IsInt()
  @Min(1)
  @Max(90)
  followUpOverdueDays?: number;

  /** The agency's logo on the participant pages: an https URL, or null for none. */
  @IsOptional()
  @IsHttpsUrl()
  logoUrl?: string | null;

  /** The colour of buttons and headings on the participant pages (`#rrggbb`), or null. */
  @IsOptional()
  @ApiProperty({ type: String, pattern: '^#[0-9a-f]{6}$', example: '#1f4e8c' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @Matches(/^#[0-9a-f]{6}$/, { message: 'accentColor must be a colour like #1f4e8c' })
  accentColor?: string | null;

  /** The privacy text shown where participants consent to the processing of their data. */
  @IsOptional()
  @IsText(5000)
  privacyNotice?: string | null;
}

/** You, and the organisation you work in. */
export class MeDto extends UserDto {
  tenant: TenantDto;
}

/** When reminders go out (DESIGN §6): the part of the agency's settings about messages. */
const REMINDER_SETTINGS = [
  'meetingReminderHours',
  'departureReminderDays',
  'departureReminderHour',
  'travelDocumentReminderDays',
  'followUpReminderHour',
  'followUpOverdueDays',
] as const;

export class ReminderSettingsDto extends PickType(TenantDto, [
  ...REMINDER_SETTINGS,
  'version',
] as const) {
  static of(tenant: Tenant): ReminderSettingsDto {
    return {
      meetingReminderHours: tenant.meetingReminderHours,
      departureReminderDays: tenant.departureReminderDays,
      departureReminderHour: tenant.departureReminderHour,
      travelDocumentReminderDays: tenant.travelDocumentReminderDays,
      followUpReminderHour: tenant.followUpReminderHour,
      followUpOverdueDays: tenant.followUpOverdueDays,
      version: tenant.version,
    };
  }
}

/** Any subset of the reminder settings. */
export class UpdateReminderSettingsDto extends PickType(UpdateTenantDto, REMINDER_SETTINGS) {}
