import { applyDecorators, ValidationPipe, type Type, type ValidationError } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance, Transform, Type as TransformType } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsObject,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  validateSync,
  type ValidatorOptions,
} from 'class-validator';
import { ValidationFailed, type FieldError } from './problem/domain-error.js';
import { currentTimezoneName, isTimezone } from './timezones.js';

/** Flattens class-validator's tree into `[{ field: 'a.b[0].c', message }]`. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? 'is not an allowed field' : message,
    }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: false,
  validationError: { target: false, value: false },
} satisfies ValidatorOptions;

/** Whitelist, forbid unknown fields, transform to DTO classes; errors list every field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailed(fieldErrors(errors)),
  });
}

/** The global pipe's checks, for the rare body that must be validated before the pipe runs (in a guard). */
export function validateBody<T extends object>(type: Type<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailed([{ field: 'body', message: 'must be a JSON object' }]);
  }
  const instance = plainToInstance(type, body);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw new ValidationFailed(fieldErrors(errors));
  return instance;
}

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

/** A string, trimmed, with at least `min` and at most `max` characters. */
export function IsText(max: number, min = 1) {
  return applyDecorators(
    ApiProperty({ minLength: min, maxLength: max }),
    trim,
    IsString(),
    Length(min, max),
  );
}

/** An email address (trimmed, at most 254 characters). */
export function IsEmailAddress() {
  return applyDecorators(
    ApiProperty({ format: 'email', maxLength: 254 }),
    trim,
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: '$property must be an email address' }),
  );
}

/** Query-string booleans: `true`/`false` (also `1`/`0`). */
export function ToBoolean() {
  const words: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (words[value.toLowerCase()] ?? value) : value,
  );
}

/**
 * A filter taking one value or several, comma-separated
 * (`status=confirmed,attended`): an array of known values in the DTO.
 */
export function OneOrMoreOf(values: readonly string[]) {
  return applyDecorators(
    ApiProperty({
      required: false,
      type: 'array',
      items: { type: 'string', enum: [...values] },
      style: 'form',
      explode: false,
    } as Parameters<typeof ApiProperty>[0]),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value,
    ),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(values.length),
    IsIn(values, { each: true }),
  );
}

/**
 * The fields a client actually sent in a PATCH body. DTO instances declare
 * every field (class fields are defined even when unset), so assigning a
 * whole DTO would overwrite what was not sent with undefined.
 */
export function sentFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(dto).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

const upper = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value,
);

/** ISO 3166-1 alpha-2 country code (`KZ`); lower case is accepted and stored upper case. */
export function IsCountryCode() {
  return applyDecorators(
    ApiProperty({ pattern: '^[A-Z]{2}$', example: 'KZ', minLength: 2, maxLength: 2 }),
    upper,
    IsString(),
    IsISO31661Alpha2({ message: '$property must be an ISO 3166-1 alpha-2 country code, e.g. KZ' }),
  );
}

/** A list of ISO 3166-1 alpha-2 country codes, each at most once; `null` clears it. */
export function IsCountryCodes(maxItems = 30) {
  return applyDecorators(
    ApiProperty({
      type: [String],
      maxItems,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Z]{2}$', minLength: 2, maxLength: 2 },
      example: ['KZ', 'UZ'],
    }),
    Transform(({ value }: { value: unknown }) =>
      value === null
        ? []
        : Array.isArray(value)
          ? value.map((item: unknown) =>
              typeof item === 'string' ? item.trim().toUpperCase() : item,
            )
          : value,
    ),
    IsArray(),
    ArrayMaxSize(maxItems),
    ArrayUnique(),
    IsISO31661Alpha2({
      each: true,
      message: 'each value in $property must be an ISO 3166-1 alpha-2 country code, e.g. KZ',
    }),
  );
}

/** Free-form tags (trimmed, unique, at most `maxItems` of at most `maxLength` characters); `null` clears them. */
export function IsTags(maxItems = 20, maxLength = 60) {
  return applyDecorators(
    ApiProperty({
      type: [String],
      maxItems,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength },
      example: ['textile technology', 'mechanical engineering'],
    }),
    Transform(({ value }: { value: unknown }) =>
      value === null
        ? []
        : Array.isArray(value)
          ? value.map((item: unknown) => (typeof item === 'string' ? item.trim() : item))
          : value,
    ),
    IsArray(),
    ArrayMaxSize(maxItems),
    ArrayUnique(),
    IsString({ each: true }),
    Length(1, maxLength, { each: true }),
  );
}

/** An http(s) address. */
export function IsWebsite() {
  return applyDecorators(
    ApiProperty({ format: 'uri', maxLength: 500, example: 'https://www.titk.de' }),
    trim,
    IsString(),
    MaxLength(500),
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true },
      { message: '$property must be an http(s) URL' },
    ),
  );
}

/** A link to a document: https only (never a plain-http or other scheme a reader would open). */
export function IsHttpsUrl() {
  return applyDecorators(
    ApiProperty({
      format: 'uri',
      maxLength: 2000,
      example: 'https://dms.example.org/mou-atameken.pdf',
    }),
    trim,
    IsString(),
    MaxLength(2000),
    IsUrl(
      { protocols: ['https'], require_protocol: true },
      { message: '$property must be an https URL' },
    ),
  );
}

/** A language as ISO 639-1 code (`de`, `en`, `ru`...). */
export function IsLanguageCode() {
  return applyDecorators(
    ApiProperty({ pattern: '^[a-z]{2}$', minLength: 2, maxLength: 2, example: 'de' }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    IsString(),
    Matches(/^[a-z]{2}$/, { message: '$property must be a two-letter language code, e.g. de' }),
  );
}

/**
 * The years a trip, a passport or a deadline can fall in. Wider input
 * passes JavaScript's Date but not PostgreSQL (year 0) or turns into
 * six-digit years in computed dates (9999 plus a margin).
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

/** A calendar year (`2023`), from a query string too. */
export function IsYear() {
  return applyDecorators(
    ApiProperty({ type: 'integer', minimum: FIRST_YEAR, maximum: LAST_YEAR, example: 2023 }),
    TransformType(() => Number),
    IsInt(),
    Min(FIRST_YEAR),
    Max(LAST_YEAR),
  );
}

/** A calendar date `YYYY-MM-DD` that exists (no 31 April), between 1900 and 2199. */
export function IsCalendarDate() {
  return applyDecorators(
    ApiProperty({
      type: String,
      format: 'date',
      example: '2022-09-25',
      description: `A date from ${FIRST_YEAR}-01-01 to ${LAST_YEAR}-12-31.`,
    }),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date as YYYY-MM-DD' }),
    ValidateBy({
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
        defaultMessage: () =>
          `$property must be a date that exists, from ${FIRST_YEAR} to ${LAST_YEAR}`,
      },
    }),
  );
}

export function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(value)) return false;
  const year = date.getUTCFullYear();
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/**
 * An IANA timezone name (`Asia/Almaty`); fixed offsets are refused. A legacy
 * alias (`Europe/Kiev`) is accepted and stored as the current name
 * (`Europe/Kyiv`).
 */
export function IsTimezone() {
  return applyDecorators(
    ApiProperty({ example: 'Asia/Almaty', maxLength: 64 }),
    // Stored under today's IANA name, whatever case or legacy alias was sent.
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && isTimezone(value) ? currentTimezoneName(value) : value,
    ),
    IsString(),
    MaxLength(64),
    ValidateBy({
      name: 'isTimezone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isTimezone(value),
        defaultMessage: () => '$property must be an IANA timezone name, e.g. Asia/Almaty',
      },
    }),
  );
}

/** A date, or a date-time with `Z` or an offset: a time without one would be read in the server's zone. */
const INSTANT =
  /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * An ISO 8601 date-time with `Z` or an offset (or a date alone, meaning
 * 00:00 UTC), read into a Date. Stricter than `new Date()`: a day that does
 * not exist (2026-02-30) is refused rather than rolled over into March, a
 * time without an offset is refused rather than read in the server's own
 * timezone, and the year must lie between 1900 and 2199.
 */
export function IsInstant() {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', example: '2026-09-01T08:00:00Z' }),
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const match = INSTANT.exec(value.trim());
      const date = new Date(value.trim());
      return match?.[1] && isCalendarDate(match[1]) && !Number.isNaN(date.getTime()) ? date : value;
    }),
    IsDate({
      message: `$property must be an ISO 8601 date-time with Z or an offset, e.g. 2026-09-01T08:00:00Z, from ${FIRST_YEAR} to ${LAST_YEAR}`,
    }),
  );
}

/** A date-time with `Z` or an offset, or a wall-clock date-time without one (read in a place's zone). */
const MEETING_TIME =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(Z|[+-](?:0\d|1[0-4]):?[0-5]\d)?$/;

/**
 * A time at a place: ISO 8601 with `Z` or an offset (that instant), or a
 * local date-time without offset (`2024-03-01T10:00`), which the service
 * reads in the place's IANA timezone. Kept as the string sent.
 */
export function IsPlaceTime() {
  return applyDecorators(
    ApiProperty({
      type: String,
      example: '2024-03-01T10:00',
      description:
        'A local date-time without offset, read in the station’s timezone (`2024-03-01T10:00`), or an instant with `Z` or an offset (`2024-03-01T10:00:00+05:00`).',
      maxLength: 35,
    }),
    IsString(),
    ValidateBy({
      name: 'isPlaceTime',
      validator: {
        validate: (value: unknown) => {
          const match = typeof value === 'string' ? MEETING_TIME.exec(value) : null;
          return Boolean(match?.[1] && isCalendarDate(match[1]));
        },
        defaultMessage: () =>
          `$property must be a local date-time such as 2024-03-01T10:00, or one with Z or an offset such as 2024-03-01T10:00:00+05:00, from ${FIRST_YEAR} to ${LAST_YEAR}`,
      },
    }),
  );
}

/**
 * A nested object validated as `type`. An array or a string in its place is
 * refused (400 naming the field): class-transformer would turn an array into
 * a list of instances that passes nested validation and reaches a service
 * expecting one object.
 */
export function NestedObject(type: () => Type<unknown>) {
  return applyDecorators(
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    TransformType(type),
  );
}

/** A list of objects, each validated as `type` (400 naming `field[i].member`). */
export function NestedObjects(type: () => Type<unknown>, minItems: number, maxItems: number) {
  return applyDecorators(
    IsArray(),
    ArrayMinSize(minItems),
    ArrayMaxSize(maxItems),
    IsObject({ each: true, message: 'each item of $property must be an object' }),
    ValidateNested({ each: true }),
    TransformType(type),
  );
}

/**
 * May be left out, but not null: for optional fields whose column has a
 * default and no "empty" value (`@IsOptional()` would let null through to a
 * NOT NULL column).
 */
export function Optional() {
  return ValidateIf((_: object, value: unknown) => value !== undefined);
}
