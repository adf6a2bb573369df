import './heap.js';
import 'reflect-metadata';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { AppModule } from './app.module.js';
import { closeOnSignals } from './common/shutdown.js';
import type { AppConfig } from './config/app-config.js';
import { configFromEnvironment } from './config/config.module.js';
import { prepareDatabase } from './database/prepare-database.js';
import { createApiApp } from './http-app.js';
import { isEntryPoint } from './entry-point.js';

/** Starts the HTTP API (the entry point has prepared the database). */
export async function startApi(config: AppConfig): Promise<INestApplicationContext> {
  const app = await createApiApp(AppModule.register(config), config);
  await app.listen({ port: config.PORT, host: config.HOST });
  const base = localUrl(config);
  new Logger('Api').log(
    { url: base, docs: `${base}/api/docs` },
    `Delegation Desk API listening on ${base} (API docs: ${base}/api/docs)`,
  );
  return app;
}

/** Where a person on this machine reaches the API (a wildcard address is shown as localhost). */
function localUrl(config: AppConfig): string {
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(config.HOST);
  const host = wildcard
    ? 'localhost'
    : config.HOST.includes(':')
      ? `[${config.HOST}]`
      : config.HOST;
  return `http://${host}:${config.PORT}`;
}

/** The API process: configuration from the environment, the database prepared, stopped by signals. */
export async function runApi(): Promise<void> {
  const config = configFromEnvironment();
  await prepareDatabase(config);
  const app = await startApi(config);
  closeOnSignals([app], config.SHUTDOWN_TIMEOUT_MS);
}

if (isEntryPoint(import.meta.url)) await runApi();
