import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobHandler, type HandlesJob } from '../../../queue/job-handler.js';
import { JobName, type JobResults } from '../../../queue/jobs.js';
import { TRIP } from '../../trips/trips.subjects.js';
import { SYSTEM_ACTOR } from '../../audit/audit.service.js';
import { Changes } from '../../audit/changes.js';
import { TravelDocumentsRepository } from '../travel-documents.repository.js';

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
    private readonly documents: TravelDocumentsRepository,
  ) {}

  async handle(): Promise<JobResults[JobName.SystemPurgeTravelDocuments]> {
    return this.dataSource.transaction(async (manager) => {
      const purged = await this.documents.purgeExpired(manager);
      for (const { tenantId, tripId, deleted } of purged) {
        await this.changes.record(manager, SYSTEM_ACTOR, {
          tenantId,
          action: 'travel_documents.purged',
          subject: TRIP,
          id: tripId,
          changes: { travelDocuments: { before: deleted, after: 0 } },
        });
      }
      return { deleted: purged.reduce((sum, trip) => sum + trip.deleted, 0) };
    });
  }
}
