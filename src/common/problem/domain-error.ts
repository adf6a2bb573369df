/** One field-level validation failure, as listed in a 400 problem's `errors`. */
export interface FieldError {
  /** Path of the offending field, e.g. `stations[2].timezone`. */
  field: string;
  message: string;
}

/**
 * A rule of the domain was broken. Each module defines its own codes; the
 * problem filter turns this into problem+json with `status`, `code`,
 * `detail` and any extension members (e.g. `allowedTransitions`).
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }

  /** Response headers the error calls for (e.g. Retry-After). */
  headers(): Record<string, string> {
    return {};
  }
}

/** 404 for ids that do not exist and, identically, for another tenant's ids. */
export class NotFound extends DomainError {
  constructor(what: string) {
    super(404, 'not_found', `No ${what} with this id in your organisation.`);
  }
}

/** 409 for deleting what other records still refer to: history is never removed by cascade. */
export class InUse extends DomainError {
  constructor(what: string, referencedBy: string) {
    super(409, 'in_use', `This ${what} cannot be deleted: ${referencedBy} still refer to it.`);
  }
}

export class ValidationFailed extends DomainError {
  constructor(
    readonly errors: FieldError[],
    detail = 'The request is not valid; see `errors`.',
  ) {
    super(400, 'validation_failed', detail, { errors });
  }
}

export class PreconditionFailed extends DomainError {
  constructor(
    detail = 'The resource has changed since you read it; fetch it again and retry with its new ETag.',
  ) {
    super(412, 'precondition_failed', detail);
  }
}

export class TooManyRequests extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    detail = 'Too many requests; try again later.',
  ) {
    super(429, 'rate_limited', detail, { retryAfter: retryAfterSeconds });
  }

  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}
