import { Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobHandler, type HandlesJob } from '../../../queue/job-handler.js';
import { JobName, type JobResults } from '../../../queue/jobs.js';
import { RefreshToken } from '../entities/refresh-token.entity.js';
import { Session } from '../entities/session.entity.js';

/**
 * Keeps the token tables small. Refresh tokens go a day after they expire
 * (until then a reuse is still recognised as one); a session goes once it
 * has no tokens left.
 */
@Injectable()
@JobHandler(JobName.SystemPurgeExpiredSessions)
export class PurgeExpiredSessionsJob implements HandlesJob<JobName.SystemPurgeExpiredSessions> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(): Promise<JobResults[JobName.SystemPurgeExpiredSessions]> {
    const tokens = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(RefreshToken)
      .where(`expires_at < now() - interval '1 day'`)
      .execute();
    const sessions = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(Session)
      .where(`created_at < now() - interval '1 day'`)
      .andWhere('NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = sessions.id)')
      .execute();
    return { refreshTokens: tokens.affected ?? 0, sessions: sessions.affected ?? 0 };
  }
}

/** Identity's housekeeping; imported by the worker only. */
@Module({ providers: [PurgeExpiredSessionsJob] })
export class IdentityJobsModule {}
