import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis.module.js';

/*
 * What the API reads of the workers (health, metrics) without loading the
 * worker's side of BullMQ (issue 21: the API loads BullMQ only when needed).
 */

export const WORKER_HEARTBEAT_KEY = 'worker:heartbeat';

export interface WorkerHeartbeat {
  workerId: string;
  at: string;
}

/** The latest report of any worker, or null when none reported within its time to live. */
export async function readWorkerHeartbeat(
  redis: Redis,
  keys: RedisKeys,
): Promise<WorkerHeartbeat | null> {
  const beat = await redis.get(keys.key(WORKER_HEARTBEAT_KEY));
  return beat ? (JSON.parse(beat) as WorkerHeartbeat) : null;
}

/** Names this worker process in logs, heartbeats and job results. */
export const WORKER_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
