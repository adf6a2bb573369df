import { plainToInstance } from 'class-transformer';
import {
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { EnvBoolean, EnvEnum, EnvInt, EnvList, EnvString } from './env.decorators.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The one validated, typed view of the environment. Every variable has a
 * default that works on a machine with PostgreSQL and Redis on localhost, and
 * is documented in `.env.example` and the README.
 */
export class AppConfig {
  /** `production`, `development` or `test`; production turns off pretty logs. */
  @EnvEnum(['production', 'development', 'test'])
  NODE_ENV: 'production' | 'development' | 'test' = 'development';

  /** Interface the HTTP API listens on. */
  @EnvString()
  HOST = '0.0.0.0';

  /** Port the HTTP API listens on. */
  @EnvInt(0, 65535)
  PORT = 3000;

  /** Public address of the API, used in links sent to participants. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** Browser origins allowed to call the API (comma-separated); empty allows none. */
  @EnvList()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { each: true })
  CORS_ORIGINS: string[] = [];

  /** Trust `X-Forwarded-*` headers from a reverse proxy in front of the API. */
  @EnvBoolean()
  TRUST_PROXY = false;

  /** PostgreSQL connection URL. The database is created on start if it does not exist. */
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, {
    message: '$property must be a postgres:// URL naming a database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/delegation_desk';

  /** Maximum PostgreSQL connections per process. */
  @EnvInt(1, 200)
  DATABASE_POOL_SIZE = 10;

  /** Apply pending migrations on start (API and worker take turns through an advisory lock). */
  @EnvBoolean()
  MIGRATIONS_RUN = true;

  /** Redis connection URL (queues, rate limits, worker heartbeat). */
  @Matches(/^rediss?:\/\/.+/, { message: '$property must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key this installation writes, so installations can share a Redis. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, {
    message: '$property must be 1-64 letters, digits, ":", "_" or "-"',
  })
  REDIS_PREFIX = 'dd';

  /** SMTP server URL (`smtp://user:pass@host:587`, `smtps://...`). Unset: mail is written to MAIL_DIR. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: '$property must be an smtp:// or smtps:// URL' })
  SMTP_URL: string | undefined = undefined;

  /** Folder that receives outgoing mail as `.eml` files when SMTP_URL is unset. */
  @EnvString()
  MAIL_DIR = './var/mail';

  /** Sender address of outgoing mail; the agency's name is set as display name per message. */
  @IsString()
  @Matches(/^[^@\s]+@[^@\s]+$/, { message: '$property must be an email address' })
  MAIL_FROM = 'no-reply@delegation-desk.localhost';

  /** Jobs each worker process runs at once per queue. */
  @EnvInt(1, 100)
  WORKER_CONCURRENCY = 5;

  /** How often a worker reports in (ms); `/health/ready` wants a report within three intervals. */
  @EnvInt(1000, 600_000)
  WORKER_HEARTBEAT_INTERVAL_MS = 10_000;

  /** Longest a graceful shutdown may take before the process exits anyway (ms). */
  @EnvInt(1000, 60_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  @EnvEnum(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

export type ConfigKey = Exclude<keyof AppConfig, 'isProduction'>;

export class InvalidConfigError extends Error {}

/**
 * Reads and validates the configuration. Only the keys AppConfig declares are
 * read; empty strings count as unset so `FOO=` in a .env file means "default".
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const known = Object.keys(new AppConfig());
  const given = Object.fromEntries(
    known.filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]),
  );
  const config = Object.assign(plainToInstance(AppConfig, given), overrides);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new InvalidConfigError(`Invalid configuration:\n${errors.map(describe).join('\n')}`);
  }
  return Object.freeze(config);
}

function describe(error: ValidationError): string {
  const messages = Object.values(error.constraints ?? {});
  return `  ${error.property}: ${messages.join('; ')}`;
}
