import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';

/** Any fixed number: processes starting together take turns migrating. */
const MIGRATION_LOCK = 727_001;

/**
 * Creates the configured database when it does not exist yet and, unless
 * MIGRATIONS_RUN is off, applies pending migrations. Safe to call from
 * several processes at once.
 */
export async function prepareDatabase(
  config: AppConfig,
): Promise<{ created: boolean; applied: string[] }> {
  const created = await createDatabaseIfMissing(config.DATABASE_URL);
  const applied = config.MIGRATIONS_RUN ? await runMigrations(config) : [];
  return { created, applied };
}

export async function createDatabaseIfMissing(
  databaseUrl: string,
  template?: string,
): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    const from = template ? ` TEMPLATE ${quoteIdentifier(template)}` : '';
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}${from}`);
    return true;
  } catch (error) {
    // Another process created it between our check and our CREATE.
    if (isPgError(error, '42P04') || isPgError(error, '23505')) return false;
    throw error;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function runMigrations(config: AppConfig): Promise<string[]> {
  const dataSource = await new DataSource(dataSourceOptions(config, 2)).initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const migrations = await dataSource.runMigrations({ transaction: 'each' });
    return migrations.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
