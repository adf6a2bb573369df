import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module.js';
import { configFromEnvironment } from './config/config.module.js';
import { prepareDatabase } from './database/prepare-database.js';

function fail(error: Error): never {
  console.error(error.message);
  process.exit(1);
}

const config = configFromEnvironment();
await prepareDatabase(config);
await CommandFactory.run(CliModule.register(config), {
  logger: ['error', 'warn'],
  // Bad options (commander) and failing commands alike: the message, exit code 1.
  errorHandler: fail,
  serviceErrorHandler: fail,
});
