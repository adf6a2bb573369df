import { QueryFailedError } from 'typeorm';

/** True when the error is PostgreSQL refusing a duplicate on the named unique constraint or index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}

/** True when PostgreSQL refused a value as such (SQLSTATE class 22: bad uuid, date, number...). */
export function isDataException(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const { code } = error.driverError as { code?: string };
  return typeof code === 'string' && code.startsWith('22');
}

/** True when PostgreSQL refused a delete or update because another row still refers to this one. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  return (error.driverError as { code?: string }).code === '23503';
}
