import { applyDecorators, ValidationPipe, type Type, type ValidationError } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsString,
  Length,
  MaxLength,
  validateSync,
  type ValidatorOptions,
} from 'class-validator';
import { ValidationFailed, type FieldError } from './problem/domain-error.js';

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
 * The fields a client actually sent in a PATCH body. DTO instances declare
 * every field (class fields are defined even when unset), so assigning a
 * whole DTO would overwrite what was not sent with undefined.
 */
export function sentFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(dto).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
