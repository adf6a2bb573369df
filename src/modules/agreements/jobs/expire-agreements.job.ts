import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobHandler, type HandlesJob } from '../../../queue/job-handler.js';
import { JobName, type JobResults } from '../../../queue/jobs.js';
import { SYSTEM_ACTOR } from '../../audit/audit.service.js';
import { Changes } from '../../audit/changes.js';
import { AgreementsRepository } from '../agreements.repository.js';
import { AGREEMENT } from '../agreements.subjects.js';

/**
 * Agreements in force expire the day after their last valid day, in their
 * agency's timezone: one indexed UPDATE a minute for every agency, each
 * change recorded as done by the system.
 */
@Injectable()
@JobHandler(JobName.AgreementsExpire)
export class ExpireAgreementsJob implements HandlesJob<JobName.AgreementsExpire> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agreements: AgreementsRepository,
    private readonly changes: Changes,
  ) {}

  async handle(): Promise<JobResults[JobName.AgreementsExpire]> {
    return this.dataSource.transaction(async (manager) => {
      const expired = await this.agreements.expireDue(manager);
      for (const { id, tenantId, validUntil, statusSince } of expired) {
        await this.changes.record(manager, SYSTEM_ACTOR, {
          tenantId,
          subject: AGREEMENT,
          id,
          action: 'agreement.status_changed',
          changes: { status: { before: 'in_force', after: 'expired' } },
          facts: { validUntil, statusSince },
        });
      }
      return { expired: expired.length };
    });
  }
}
