import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';

/** `true`/`false` (also `1`/`0`, `yes`/`no`); anything else fails validation. */
export function EnvBoolean() {
  const words: Record<string, boolean> = {
    true: true,
    '1': true,
    yes: true,
    false: false,
    '0': false,
    no: false,
  };
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (words[value.trim().toLowerCase()] ?? value) : value,
    ),
    IsBoolean({ message: '$property must be true or false' }),
  );
}

/** A whole number within [min, max]. */
export function EnvInt(min: number, max: number) {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
    ),
    IsInt({ message: '$property must be a whole number' }),
    Min(min),
    Max(max),
  );
}

/** A comma-separated list, read into a string array (empty entries dropped). */
export function EnvList() {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  );
}

export function EnvEnum(values: readonly string[]) {
  return applyDecorators(
    IsIn(values, { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

export function EnvString() {
  return applyDecorators(IsString(), MinLength(1));
}
