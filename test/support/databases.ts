import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config/app-config.js';
import { createDatabaseIfMissing, dropDatabase } from '../../src/database/prepare-database.js';

/** This test run's migrated template (named by Jest's global setup; the benchmarks use the shared default). */
export const TEMPLATE_DATABASE =
  process.env.DD_TEST_TEMPLATE_DATABASE ?? 'delegation_desk_test_template';

/** URL of database `name` on the server the default config points at. */
export function databaseUrl(name: string): string {
  const url = new URL(loadConfig({}).DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh database cloned from the migrated template: clean, and private to one test file. */
export async function createTestDatabase(): Promise<string> {
  const url = databaseUrl(
    `dd_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomUUID().slice(0, 8)}`,
  );
  for (let attempt = 1; ; attempt++) {
    try {
      await createDatabaseIfMissing(url, TEMPLATE_DATABASE);
      return url;
    } catch (error) {
      // Two clones of the template at the same instant: PostgreSQL refuses one; try again.
      if (attempt >= 5 || (error as { code?: string }).code !== '55006') throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

export { dropDatabase };
