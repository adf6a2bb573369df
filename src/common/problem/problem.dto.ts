export class FieldErrorDto {
  /** Path of the offending field, e.g. `stations[2].timezone`. */
  field: string;
  message: string;
}

/** RFC 9457 problem details (`application/problem+json`). */
export class ProblemDto {
  /** URI identifying the kind of problem. */
  type: string;
  /** Short summary of the HTTP status. */
  title: string;
  status: number;
  /** What went wrong, for a human. */
  detail: string;
  /** Stable machine-readable code, e.g. `validation_failed`. */
  code: string;
  /** Path of the request. */
  instance?: string;
  /** Every invalid field (400 `validation_failed` only). */
  errors?: FieldErrorDto[];
  /** Quote this when reporting a 500; it is in the server log. */
  errorId?: string;
}
