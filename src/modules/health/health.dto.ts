export class HealthCheckDto {
  /** `up` or `down`. */
  status: string;
  /** Detail from the check, e.g. why it is down. */
  message?: string;
}

export class HealthReportDto {
  /** `ok` when every check is up. */
  status: string;
  /** Each check by name: `database`, `redis`, `worker`. */
  details: Record<string, HealthCheckDto>;
}
