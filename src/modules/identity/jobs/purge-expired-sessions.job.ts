import { Injectable, Module } from '@nestjs/common';
import { JobHandler, type HandlesJob } from '../../../queue/job-handler.js';
import { JobName, type JobResults } from '../../../queue/jobs.js';
import { SessionsRepository } from '../sessions.repository.js';

/** Keeps the token tables small: expired refresh tokens and their ended sessions go. */
@Injectable()
@JobHandler(JobName.SystemPurgeExpiredSessions)
export class PurgeExpiredSessionsJob implements HandlesJob<JobName.SystemPurgeExpiredSessions> {
  constructor(private readonly sessions: SessionsRepository) {}

  handle(): Promise<JobResults[JobName.SystemPurgeExpiredSessions]> {
    return this.sessions.purgeExpired();
  }
}

/** Identity's housekeeping; imported by the worker only. */
@Module({ providers: [PurgeExpiredSessionsJob, SessionsRepository] })
export class IdentityJobsModule {}
