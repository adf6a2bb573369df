import { Client } from 'pg';
import { MIGRATIONS } from '../migrations/index.js';
import { loadConfig } from '../src/config/app-config.js';
import { prepareDatabase } from '../src/database/prepare-database.js';
import { databaseUrl, TEMPLATE_DATABASE } from '../test/support/databases.js';

/**
 * The migrated template that startTestApp clones, made the way Jest's
 * global setup makes it when it is missing or behind the migrations; never
 * dropped here, since test runs of others may be cloning it.
 */
export async function ensureTemplate(progress: (step: string) => void): Promise<void> {
  const url = databaseUrl(TEMPLATE_DATABASE);
  if (await hasAllMigrations(url)) return;
  progress('building the test template database');
  await prepareDatabase(
    loadConfig({}, { DATABASE_URL: url, MIGRATIONS_RUN: true, LOG_LEVEL: 'warn' }),
  );
}

async function hasAllMigrations(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations');
    const applied = new Set(rows.map((row) => row.name));
    return MIGRATIONS.every((migration) => applied.has(migration.name));
  } catch (error) {
    // 3D000: no such database; 42P01: no migrations table yet.
    if (['3D000', '42P01'].includes((error as { code?: string }).code ?? '')) return false;
    throw error;
  } finally {
    await client.end();
  }
}
