import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobName, JobPayloads, JobResults } from './jobs.js';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** Marks a provider as the handler of one job name; the worker finds it at start-up. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);

export interface HandlesJob<N extends JobName> {
  handle(job: Job<JobPayloads[N], JobResults[N], N>): Promise<JobResults[N]>;
}
