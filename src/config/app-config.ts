import { plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MinLength,
  ValidateBy,
  validateSync,
  type ValidationError,
} from 'class-validator';
import {
  EnvBoolean,
  EnvEnum,
  EnvInt,
  EnvList,
  EnvString,
  EnvTrustProxy,
} from './env.decorators.js';
import { parseAllowedHosts } from '../modules/webhooks/webhook-address.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Lets a development machine start without setup; refused in production. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-in-production';

/** Encrypts passport numbers on a development machine; refused in production. */
export const DEVELOPMENT_PII_KEY = 'dev:ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=';

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

  /**
   * Which reverse proxies may set the client address (`X-Forwarded-For`):
   * `false`, a comma-separated list of their addresses or CIDR ranges (e.g.
   * `10.0.0.0/8` or `loopback`), or `true` (any: only when the proxy
   * replaces the header, or clients could pick their address and dodge rate
   * limits).
   */
  @EnvTrustProxy()
  TRUST_PROXY: boolean | string[] = false;

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

  /**
   * Jobs each worker process runs at once per queue, and mails it sends at
   * once (one per pooled SMTP connection).
   */
  @EnvInt(1, 100)
  WORKER_CONCURRENCY = 5;

  /** How often a worker reports in (ms); `/health/ready` wants a report within three intervals. */
  @EnvInt(1000, 600_000)
  WORKER_HEARTBEAT_INTERVAL_MS = 10_000;

  /**
   * How long a worker may hold a job before others take it as stalled (ms):
   * a killed worker's jobs run again after about this long.
   */
  @EnvInt(1000, 600_000)
  WORKER_LOCK_MS = 30_000;

  /** How often the relay moves due messages from the outbox into the queue (ms). */
  @EnvInt(100, 60_000)
  RELAY_INTERVAL_MS = 1000;

  /**
   * A message handed to the queue but not sent after this long is handed
   * over again (a no-op while Redis still holds it; after a Redis flush or
   * restart, it brings the message back) (ms).
   */
  @EnvInt(1000, 3_600_000)
  RELAY_REQUEUE_AFTER_MS = 60_000;

  /** How long a worker sending a message holds it; past that, the relay hands it out again (ms). */
  @EnvInt(1000, 3_600_000)
  NOTIFICATION_LEASE_MS = 120_000;

  /**
   * Messages one send job claims, renders and sends together (a statement
   * or two for all of them instead of several per message); the worker sends
   * WORKER_CONCURRENCY at a time, whatever the jobs. A send starts only while
   * half the message's lease (NOTIFICATION_LEASE_MS) remains, asked when it
   * starts; later ones go back to the queue.
   */
  @EnvInt(1, 100)
  NOTIFICATION_BATCH_SIZE = 20;

  /** Delivery attempts per message before it is recorded as failed. */
  @EnvInt(1, 50)
  NOTIFICATION_MAX_ATTEMPTS = 8;

  /** Wait before the first retry after a temporary SMTP failure (ms); doubles with each attempt. */
  @EnvInt(100, 3_600_000)
  NOTIFICATION_RETRY_DELAY_MS = 30_000;

  /** Messages one agency (tenant) may send per hour; the rest wait for the next hour. */
  @EnvInt(1, 1_000_000)
  NOTIFICATION_SEND_CAP_PER_HOUR = 2000;

  /**
   * Webhook receivers inside the agency's own network (comma-separated host names, IP addresses
   * or CIDR ranges): exempt from the guard against private, loopback and link-local addresses,
   * and allowed plain http in production. Empty by default.
   */
  @EnvList()
  @ValidateBy({
    name: 'allowedHosts',
    validator: {
      validate: (value: unknown) => {
        try {
          return Array.isArray(value) && parseAllowedHosts(value.join(',')).length >= 0;
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        'WEBHOOK_ALLOWED_HOSTS must be host names, IP addresses or CIDR ranges (e.g. 10.0.0.0/8)',
    },
  })
  WEBHOOK_ALLOWED_HOSTS: string[] = [];

  /** Wait before a webhook delivery's first retry (ms); doubles with each attempt (8 in all). */
  @EnvInt(10, 3_600_000)
  WEBHOOK_RETRY_DELAY_MS = 60_000;

  /** Unanswered invitations get one reminder this many days before registration closes. */
  @EnvInt(1, 60)
  INVITATION_REMINDER_DAYS = 3;

  /** Requests per client IP per minute to the public participant endpoints. */
  @EnvInt(1, 100_000)
  RATE_LIMIT_PUBLIC_PER_MINUTE = 60;

  /** Resends of one invitation per day. */
  @EnvInt(1, 100)
  RATE_LIMIT_INVITATION_RESENDS_PER_DAY = 3;

  /** Longest a graceful shutdown may take before the process exits anyway (ms). */
  @EnvInt(1000, 60_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Anyone may create a new agency (tenant) through `POST /auth/signup`; false answers 403. */
  @EnvBoolean()
  SIGNUP_ENABLED = true;

  /**
   * Secret that signs access tokens (HS256), at least 32 characters. The
   * default is for development only: production refuses to start with it.
   */
  @IsString()
  @MinLength(32)
  JWT_SECRET = DEVELOPMENT_JWT_SECRET;

  /** `iss` claim of access tokens; tokens from another issuer are refused. */
  @EnvString()
  JWT_ISSUER = 'delegation-desk';

  /** `aud` claim of access tokens; tokens for another audience are refused. */
  @EnvString()
  JWT_AUDIENCE = 'delegation-desk-api';

  /** Lifetime of an access token (seconds). */
  @EnvInt(60, 3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /**
   * How long (seconds) an API process remembers who a session or API key is,
   * so most requests authenticate without a database round trip. Sign-out,
   * deactivation, role changes and revoked keys are forgotten at once
   * (across processes through Redis); this bounds the rest. 0: ask the
   * database on every request.
   */
  @EnvInt(0, 300)
  PRINCIPAL_CACHE_SECONDS = 60;

  /** Lifetime of a refresh token (days); each use replaces it with a new one. */
  @EnvInt(1, 365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** argon2id memory cost (KiB); at least the OWASP minimum of 19456. */
  @EnvInt(19_456, 1_048_576)
  PASSWORD_HASH_MEMORY_KIB = 19_456;

  /** argon2id iterations; at least 2. */
  @EnvInt(2, 20)
  PASSWORD_HASH_ITERATIONS = 2;

  /** argon2id parallelism; at least 1. */
  @EnvInt(1, 16)
  PASSWORD_HASH_PARALLELISM = 1;

  /**
   * Keys that encrypt passport numbers and webhook signing secrets at rest
   * (AES-256-GCM), comma-separated `keyId:base64` entries of 32 random bytes
   * each (`openssl rand -base64 32`). The first encrypts new data; the others
   * still decrypt data written with them, so a key is rotated by putting a
   * new one first and running `npm run cli -- reencrypt`. The default is for
   * development only: production refuses to start with it.
   */
  @EnvList()
  @ArrayMinSize(1)
  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/, {
    each: true,
    message: '$property must be keyId:base64 entries of 32 bytes each',
  })
  PII_ENCRYPTION_KEYS: string[] = [DEVELOPMENT_PII_KEY];

  /** Failed logins allowed per account within RATE_LIMIT_LOGIN_WINDOW_MINUTES. */
  @EnvInt(1, 100_000)
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT = 10;

  /** Failed logins allowed per client IP within RATE_LIMIT_LOGIN_WINDOW_MINUTES. */
  @EnvInt(1, 100_000)
  RATE_LIMIT_LOGIN_FAILURES_PER_IP = 100;

  /** Window of the failed-login limits (minutes). */
  @EnvInt(1, 1440)
  RATE_LIMIT_LOGIN_WINDOW_MINUTES = 15;

  /** Token refreshes allowed per client IP per minute. */
  @EnvInt(1, 100_000)
  RATE_LIMIT_REFRESH_PER_MINUTE = 60;

  /** Sign-ups allowed per client IP per hour. */
  @EnvInt(1, 100_000)
  RATE_LIMIT_SIGNUP_PER_HOUR = 20;

  /**
   * Bearer token that `/metrics` requires (`Authorization: Bearer <token>`),
   * at least 16 characters. Unset: `/metrics` is open in development and
   * not served at all in production.
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN: string | undefined = undefined;

  /**
   * User name and password (`user:password`, the password at least 12
   * characters) that open the queue dashboard at `/admin/queues` (HTTP basic
   * auth). Unset: the dashboard is off.
   */
  @IsOptional()
  @Matches(/^[^:\s]+:.{12,}$/, {
    message: '$property must be user:password with a password of at least 12 characters',
  })
  QUEUE_DASHBOARD_CREDENTIALS: string | undefined = undefined;

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
  const problems = validateSync(config, { forbidUnknownValues: true }).map(describe);
  if (config.isProduction && config.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
    problems.push('  JWT_SECRET: must be set to a secret of your own in production');
  }
  if (config.isProduction && config.PII_ENCRYPTION_KEYS.includes(DEVELOPMENT_PII_KEY)) {
    problems.push('  PII_ENCRYPTION_KEYS: must be keys of your own in production');
  }
  if (problems.length > 0) {
    throw new InvalidConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return Object.freeze(config);
}

function describe(error: ValidationError): string {
  const messages = Object.values(error.constraints ?? {});
  return `  ${error.property}: ${messages.join('; ')}`;
}
