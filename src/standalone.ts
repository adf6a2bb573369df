import './heap.js';
import 'reflect-metadata';
import { closeOnSignals } from './common/shutdown.js';
import { configFromEnvironment } from './config/config.module.js';
import { prepareDatabase } from './database/prepare-database.js';
import { startApi } from './main.js';
import { startWorker } from './worker.js';

/**
 * Single-machine install (`npm start`): API and worker in one process, each
 * its own Nest application, so the API module still never consumes jobs.
 */
const config = configFromEnvironment();
await prepareDatabase(config);
const worker = await startWorker(config);
const api = await startApi(config);
closeOnSignals([api, worker], config.SHUTDOWN_TIMEOUT_MS);
