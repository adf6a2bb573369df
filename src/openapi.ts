import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument } from './common/openapi-document.js';
import { loadConfig } from './config/app-config.js';
import { createApiApp } from './http-app.js';

/** Writes the OpenAPI contract to openapi.json (or the path given) without connecting to anything. */
const config = loadConfig({});
const app = await createApiApp(AppModule.register(config), config, { preview: true });
const document = buildOpenApiDocument(app);
await writeFile(process.argv[2] ?? 'openapi.json', `${JSON.stringify(document, null, 2)}\n`);
await app.close();
