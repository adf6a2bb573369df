import 'reflect-metadata';
import { loadConfig } from '../../src/config/app-config.js';
import { dropDatabase, prepareDatabase } from '../../src/database/prepare-database.js';
import { databaseUrl, TEMPLATE_DATABASE } from './databases.js';

/** Builds the migrated template every test database is cloned from (run by global-setup.js). */
const url = databaseUrl(TEMPLATE_DATABASE);
await dropDatabase(url);
await prepareDatabase(
  loadConfig({}, { DATABASE_URL: url, MIGRATIONS_RUN: true, LOG_LEVEL: 'warn' }),
);
