import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { createApiApp } from '../../src/http-app.js';
import { WorkerModule } from '../../src/worker.module.js';
import { createTestDatabase, dropDatabase } from './databases.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** supertest against the running API. */
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  worker?: INestApplicationContext;
  startWorker(): Promise<INestApplicationContext>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Also start the queue worker (in this process, as its own Nest application). */
  worker?: boolean;
  /** Extra controllers mounted beside the real ones (test probes). */
  controllers?: Type<unknown>[];
  config?: Partial<AppConfig>;
}

/**
 * Boots the real API (and optionally the worker) against a private
 * PostgreSQL database cloned from the migrated template, a private Redis key
 * prefix and a private mail folder. `close()` removes all three.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const mailDir = await mkdtemp(join(tmpdir(), 'dd-mail-'));
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: 5,
      REDIS_PREFIX: `dd-test:${process.env.JEST_WORKER_ID ?? '0'}:${randomUUID().slice(0, 8)}`,
      MAIL_DIR: mailDir,
      LOG_LEVEL: 'silent',
      WORKER_HEARTBEAT_INTERVAL_MS: 1000,
      ...options.config,
    },
  );

  @Module({ imports: [AppModule.register(config)], controllers: options.controllers ?? [] })
  class TestRootModule {}

  const app = await createApiApp(TestRootModule, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  const testApp: TestApp = {
    app,
    config,
    http: () => request(app.getHttpServer()),
    dataSource: app.get(DataSource),
    async startWorker() {
      const worker = await NestFactory.createApplicationContext(WorkerModule.register(config), {
        logger: false,
      });
      await worker.init();
      testApp.worker = worker;
      return worker;
    },
    async stopWorker() {
      await testApp.worker?.close();
      testApp.worker = undefined;
    },
    async close() {
      await testApp.stopWorker();
      await app.close();
      await dropDatabase(databaseUrl);
      await rm(mailDir, { recursive: true, force: true });
      await deleteRedisKeys(config);
    },
  };
  if (options.worker) await testApp.startWorker();
  return testApp;
}

async function deleteRedisKeys(config: AppConfig): Promise<void> {
  const redis = new Redis(config.REDIS_URL);
  try {
    const stream = redis.scanStream({ match: `${config.REDIS_PREFIX}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
