import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module.js';
import { configFromEnvironment } from './config/config.module.js';
import { prepareDatabase } from './database/prepare-database.js';

const config = configFromEnvironment();
await prepareDatabase(config);
await CommandFactory.run(CliModule.register(config), {
  logger: ['error', 'warn'],
  errorHandler: (error) => {
    console.error(error.message);
    process.exit(1);
  },
});
