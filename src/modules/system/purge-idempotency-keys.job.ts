import { Injectable } from '@nestjs/common';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { JobHandler, type HandlesJob } from '../../queue/job-handler.js';
import { JobName, type JobResults } from '../../queue/jobs.js';

@Injectable()
@JobHandler(JobName.SystemPurgeIdempotencyKeys)
export class PurgeIdempotencyKeysJob implements HandlesJob<JobName.SystemPurgeIdempotencyKeys> {
  constructor(private readonly idempotency: IdempotencyService) {}

  async handle(): Promise<JobResults[JobName.SystemPurgeIdempotencyKeys]> {
    return { deleted: await this.idempotency.purgeExpired() };
  }
}
