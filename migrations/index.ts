import { Foundation1763700000000 } from './1763700000000-Foundation.js';

/** Every migration in order. `npm run migration:generate` writes a new file: add its class here. */
export const MIGRATIONS = [Foundation1763700000000];
