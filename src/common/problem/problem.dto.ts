import { ApiProperty } from '@nestjs/swagger';

export class FieldErrorDto {
  /** Path of the offending field, e.g. `stations[2].timezone`. */
  field: string;
  message: string;
}

/** One readiness check of a 503 `not_ready`. */
export class HealthCheckProblemDto {
  /** `up` or `down`. */
  status: string;
  /** Why it is down. */
  message?: string;
}

/**
 * RFC 9457 problem details (`application/problem+json`). Besides the
 * standard members, some problems carry extension members, listed here with
 * the codes that send them.
 */
export class ProblemDto {
  /** URI identifying the kind of problem. */
  type: string;
  /** Short summary of the HTTP status. */
  title: string;
  /** The HTTP status code, repeated. */
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 409 })
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
  /** `illegal_transition`: the status the resource has. */
  from?: string;
  /** `illegal_transition`: the status asked for. */
  to?: string;
  /** `illegal_transition`: the statuses it can move to from here (empty: none any more). */
  allowedTransitions?: string[];
  /** `contact_email_taken`: the contact that already has this email. */
  @ApiProperty({ type: String, format: 'uuid', required: false })
  existingContactId?: string;
  /** `already_on_trip`: the contact already on the trip (null when it was named by email). */
  @ApiProperty({ type: String, format: 'uuid', required: false, nullable: true })
  contactId?: string | null;
  /** `registration_final`: the participant's status, which no longer allows changes. */
  participantStatus?: string;
  /** `rate_limited`: seconds until a retry may succeed (also in `Retry-After`). */
  @ApiProperty({ type: 'integer', required: false, minimum: 0 })
  retryAfter?: number;
  /** `not_ready`: each readiness check by name. */
  checks?: Record<string, HealthCheckProblemDto>;
}
