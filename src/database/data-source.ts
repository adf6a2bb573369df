import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { configFromEnvironment } from '../config/config.module.js';
import { dataSourceOptions } from './data-source-options.js';

/** Entry for the TypeORM CLI (`npm run migration:*`). */
export default new DataSource(dataSourceOptions(configFromEnvironment()));
