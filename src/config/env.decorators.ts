import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  isIP,
  IsString,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';

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

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * `false`, `true`, or a comma-separated list of proxy addresses, CIDR ranges
 * and the names `loopback`, `linklocal`, `uniquelocal` (Fastify's trustProxy).
 */
export function EnvTrustProxy() {
  const words: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const word = words[value.trim().toLowerCase()];
      return (
        word ??
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      );
    }),
    ValidateBy({
      name: 'isTrustProxy',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'boolean' ||
          (Array.isArray(value) &&
            value.length > 0 &&
            value.every((item) => typeof item === 'string' && isProxyAddress(item))),
        defaultMessage: () =>
          '$property must be false, true, or a list of proxy addresses / CIDR ranges / loopback, linklocal, uniquelocal',
      },
    }),
  );
}

function isProxyAddress(item: string): boolean {
  if (PROXY_NAMES.includes(item)) return true;
  const [address = '', prefix, ...rest] = item.split('/');
  if (rest.length > 0 || !isIP(address)) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (isIP(address, 4) ? 32 : 128);
}
