import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Tenant } from '../identity/entities/tenant.entity.js';
import type { TripFacts } from '../notifications/templates/message-context.js';
import type { TripStatus } from './trips.constants.js';
import { Station } from './entities/station.entity.js';
import { TripCoOrganiser } from './entities/trip-co-organiser.entity.js';
import { Trip } from './entities/trip.entity.js';

/** A trip as messages describe it. */
export interface TripMessageFacts extends TripFacts {
  status: TripStatus;
}

@Injectable()
export class TripsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Pass the transaction's `manager` when inside one: a second pool connection could starve the pool. */
  findInTenant(
    tenantId: string,
    id: string,
    manager = this.dataSource.manager,
  ): Promise<Trip | null> {
    return manager.findOneBy(Trip, { tenantId, id });
  }

  /** Locks the trip so station and date changes happen one at a time. */
  lockInTenant(manager: EntityManager, tenantId: string, id: string): Promise<Trip | null> {
    return manager.findOne(Trip, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The agency's timezone, in which a trip's days begin and end. */
  async agencyTimezone(manager: EntityManager, tenantId: string): Promise<string> {
    const { timezone } = await manager.findOneByOrFail(Tenant, { id: tenantId });
    return timezone;
  }

  /** The trip's co-organisers' ids, in the order its view lists them. */
  async coOrganiserIds(manager: EntityManager, tripId: string): Promise<string[]> {
    const rows = await manager
      .getRepository(TripCoOrganiser)
      .createQueryBuilder('link')
      .where('link.trip_id = :tripId', { tripId })
      .orderBy('link.partner_organisation_id')
      .getMany();
    return rows.map((row) => row.partnerOrganisationId);
  }

  /** What messages say about a trip: its dates, deadline, status and stations; one query. */
  async messageFacts(manager: EntityManager, tripId: string): Promise<TripMessageFacts | null> {
    const [row] = await manager.query<TripMessageFacts[]>(
      `SELECT t.title, t.start_date::text AS "startDate", t.end_date::text AS "endDate",
              t.registration_closes_at AS "registrationClosesAt", t.status,
              coalesce((SELECT json_agg(json_build_object(
                          'city', s.city, 'country', s.country, 'timezone', s.timezone,
                          'arrivalDate', s.arrival_date, 'departureDate', s.departure_date)
                        ORDER BY s.position)
                          FROM stations s WHERE s.trip_id = t.id), '[]') AS stations
         FROM trips t WHERE t.id = $1`,
      [tripId],
    );
    return row ?? null;
  }

  async replaceCoOrganisers(manager: EntityManager, tripId: string, ids: string[]): Promise<void> {
    await manager.delete(TripCoOrganiser, { tripId });
    if (ids.length > 0) {
      await manager.insert(
        TripCoOrganiser,
        ids.map((partnerOrganisationId) => ({ tripId, partnerOrganisationId })),
      );
    }
  }

  /** Ids of the tenant's rows among `ids` in `table`, key-share locked until commit. */
  async existingIds(
    manager: EntityManager,
    table: 'partner_organisations' | 'contacts',
    tenantId: string,
    ids: string[],
  ): Promise<Set<string>> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM ${table} WHERE tenant_id = $1 AND id = ANY($2) FOR KEY SHARE`,
      [tenantId, ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Stations of the trip that would fall outside [start, end]. */
  async stationsOutside(
    manager: EntityManager,
    tripId: string,
    start: string,
    end: string,
  ): Promise<string[]> {
    const rows = await manager
      .createQueryBuilder(Station, 'station')
      .select('station.id', 'id')
      .where('station.trip_id = :tripId', { tripId })
      .andWhere('(station.arrival_date < :start OR station.departure_date > :end)', { start, end })
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }
}
