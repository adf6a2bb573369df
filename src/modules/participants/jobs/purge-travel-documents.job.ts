import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobHandler, type HandlesJob } from '../../../queue/job-handler.js';
import { JobName, type JobResults } from '../../../queue/jobs.js';
import { TRIP } from '../../trips/trips.subjects.js';
import { Changes } from '../../audit/changes.js';

const SYSTEM = {
  type: 'system',
  id: null,
  origin: { requestId: 'worker', ip: '127.0.0.1' },
} as const;

/**
 * Passports are needed for visas, not for ever: a trip's travel documents
 * are deleted once the trip ended more than the tenant's retention days ago
 * (counted in the tenant's timezone), with one audit event per trip.
 * Hourly, so a document goes within an hour of its day.
 */
@Injectable()
@JobHandler(JobName.SystemPurgeTravelDocuments)
export class PurgeTravelDocumentsJob implements HandlesJob<JobName.SystemPurgeTravelDocuments> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: Changes,
  ) {}

  async handle(): Promise<JobResults[JobName.SystemPurgeTravelDocuments]> {
    return this.dataSource.transaction(async (manager) => {
      const purged = await manager.query<{ tenant_id: string; trip_id: string; n: number }[]>(
        `WITH deleted AS (
           DELETE FROM travel_documents d
            USING participants p, trips t, tenants tn
            WHERE d.participant_id = p.id AND t.id = p.trip_id AND tn.id = t.tenant_id
              AND t.end_date + tn.travel_document_retention_days
                  < (now() AT TIME ZONE tn.timezone)::date
           RETURNING t.tenant_id, t.id AS trip_id)
         SELECT tenant_id, trip_id, count(*)::int AS n FROM deleted GROUP BY tenant_id, trip_id`,
      );
      for (const { tenant_id, trip_id, n } of purged) {
        await this.changes.record(manager, SYSTEM, {
          tenantId: tenant_id,
          action: 'travel_documents.purged',
          subject: TRIP,
          id: trip_id,
          changes: { travelDocuments: { before: n, after: 0 } },
        });
      }
      return { deleted: purged.reduce((sum, trip) => sum + trip.n, 0) };
    });
  }
}
