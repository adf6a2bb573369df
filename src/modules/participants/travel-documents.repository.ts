import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Travel documents purged from one trip. */
export interface Purged {
  tenantId: string;
  tripId: string;
  deleted: number;
}

@Injectable()
export class TravelDocumentsRepository {
  /**
   * Deletes the travel documents of trips that ended more than their
   * agency's retention days ago (counted in the agency's timezone); how many
   * per trip.
   */
  async purgeExpired(manager: EntityManager): Promise<Purged[]> {
    return manager.query<Purged[]>(
      `WITH deleted AS (
         DELETE FROM travel_documents d
          USING participants p, trips t, tenants tn
          WHERE d.participant_id = p.id AND t.id = p.trip_id AND tn.id = t.tenant_id
            AND t.end_date + tn.travel_document_retention_days
                < (now() AT TIME ZONE tn.timezone)::date
         RETURNING t.tenant_id, t.id AS trip_id)
       SELECT tenant_id AS "tenantId", trip_id AS "tripId", count(*)::int AS deleted
         FROM deleted GROUP BY tenant_id, trip_id`,
    );
  }
}
