import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity.js';

/** Every entity, listed so the app, the CLI and Jest (ESM) load the same set without globbing. */
export const ENTITIES = [IdempotencyKey];
