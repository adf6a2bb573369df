import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler, type HandlesJob } from '../../queue/job-handler.js';
import { JobName, type JobPayloads, type JobResults } from '../../queue/jobs.js';
import { WORKER_ID } from '../../queue/worker-heartbeat.js';

@Injectable()
@JobHandler(JobName.SystemPing)
export class PingJob implements HandlesJob<JobName.SystemPing> {
  async handle(job: Job<JobPayloads[JobName.SystemPing]>): Promise<JobResults[JobName.SystemPing]> {
    return Promise.resolve({
      workerId: WORKER_ID,
      sentAt: job.data.sentAt,
      receivedAt: new Date().toISOString(),
    });
  }
}
