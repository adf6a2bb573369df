import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';

/** One definition of the database connection, shared by the app, the worker, the CLI and the tests. */
export function dataSourceOptions(
  config: AppConfig,
  poolSize = config.DATABASE_POOL_SIZE,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    applicationName: 'delegation-desk',
    poolSize,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // gen_random_uuid() is built into PostgreSQL 13+; no uuid-ossp needed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    // A missing id must never match every row.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    // Not 'error': TypeORM would print failed queries with their parameters
    // (password hashes, emails). Unexpected errors reach the problem filter,
    // which logs them, redacted, under an error id.
    logging: ['warn', 'migration'],
  };
}
