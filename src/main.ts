import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
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
  return app;
}

if (isEntryPoint(import.meta.url)) {
  const config = configFromEnvironment();
  await prepareDatabase(config);
  const app = await startApi(config);
  closeOnSignals([app], config.SHUTDOWN_TIMEOUT_MS);
}
