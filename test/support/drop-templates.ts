import { Client } from 'pg';
import { dropDatabase } from '../../src/database/prepare-database.js';
import { databaseUrl, TEMPLATE_DATABASE } from './databases.js';

/**
 * Drops this run's template, and the templates of runs whose process is gone
 * (a run killed before its teardown); a living run's template is left alone.
 */
const client = new Client({ connectionString: databaseUrl('postgres') });
await client.connect();
const { rows } = await client.query<{ datname: string }>(
  "SELECT datname FROM pg_database WHERE datname LIKE 'delegation\\_desk\\_test\\_template\\_%'",
);
await client.end();
for (const { datname } of rows) {
  const pid = Number(datname.split('_').pop());
  if (datname === TEMPLATE_DATABASE || !isAlive(pid)) await dropDatabase(databaseUrl(datname));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
