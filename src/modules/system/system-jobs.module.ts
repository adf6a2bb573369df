import { Module } from '@nestjs/common';
import { PingJob } from './ping.job.js';
import { PurgeIdempotencyKeysJob } from './purge-idempotency-keys.job.js';

/** Housekeeping jobs; imported by the worker only. */
@Module({ providers: [PingJob, PurgeIdempotencyKeysJob] })
export class SystemJobsModule {}
