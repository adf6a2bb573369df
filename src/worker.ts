import './heap.js';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { closeOnSignals } from './common/shutdown.js';
import type { AppConfig } from './config/app-config.js';
import { configFromEnvironment } from './config/config.module.js';
import { prepareDatabase } from './database/prepare-database.js';
import { isEntryPoint } from './entry-point.js';
import { WorkerModule } from './worker.module.js';

/** Starts the queue worker, no HTTP API (the entry point has prepared the database). */
export async function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(WorkerModule.register(config), {
    bufferLogs: true,
  });
  worker.useLogger(worker.get(Logger));
  await worker.init();
  return worker;
}

/** The worker process: configuration from the environment, the database prepared, stopped by signals. */
export async function runWorker(): Promise<void> {
  const config = configFromEnvironment();
  await prepareDatabase(config);
  const worker = await startWorker(config);
  closeOnSignals([worker], config.SHUTDOWN_TIMEOUT_MS);
}

if (isEntryPoint(import.meta.url)) await runWorker();
