import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page } from '../../common/pagination/pagination.js';
import { SEATED_STATUSES, type ParticipantStatus } from '../participants/participants.constants.js';
import { Tenant } from '../identity/entities/tenant.entity.js';
import type { TripFacts } from '../notifications/templates/message-context.js';
import type { ListTripsQuery } from './dto/trip.dto.js';
import type { TripStatus } from './trips.constants.js';
import { Station } from './entities/station.entity.js';
import { TripCoOrganiser } from './entities/trip-co-organiser.entity.js';
import { Trip } from './entities/trip.entity.js';

/** How ready the confirmed participants of a trip are to travel. */
export interface Readiness {
  /** Confirmed participants, staff included. */
  travelling: number;
  /** Of them, those who need a visa. */
  visaRequired: number;
  /** Those who need a visa that is not granted yet. */
  visasNotGranted: number;
  /** Those who need a visa and have no travel document on file. */
  travelDocumentsMissing: number;
  /** Those whose passport expires within the agency's margin after the trip. */
  passportExpiryWarnings: number;
}

const NO_READINESS: Readiness = {
  travelling: 0,
  visaRequired: 0,
  visasNotGranted: 0,
  travelDocumentsMissing: 0,
  passportExpiryWarnings: 0,
};

/** A trip as messages describe it. */
export interface TripMessageFacts extends TripFacts {
  status: TripStatus;
}

export interface ParticipantCounts {
  byStatus: Record<string, number>;
  seatsTaken: number;
  readiness: Readiness;
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

  /** Newest start first; served by (tenant_id, start_date, id). */
  page(tenantId: string, query: ListTripsQuery): Promise<Page<Trip>> {
    const builder = this.dataSource
      .getRepository(Trip)
      .createQueryBuilder('trip')
      .where('trip.tenant_id = :tenantId', { tenantId });
    if (query.status) builder.andWhere('trip.status IN (:...statuses)', { statuses: query.status });
    if (query.kind) builder.andWhere('trip.kind = :kind', { kind: query.kind });
    if (query.country) {
      builder.andWhere('trip.countries @> ARRAY[:country]::text[]', { country: query.country });
    }
    if (query.year) {
      builder.andWhere('trip.start_date >= :yearStart AND trip.start_date < :yearEnd', {
        yearStart: `${query.year}-01-01`,
        yearEnd: `${query.year + 1}-01-01`,
      });
    }
    if (query.from) builder.andWhere('trip.end_date >= :from', { from: query.from });
    if (query.to) builder.andWhere('trip.start_date <= :to', { to: query.to });
    if (query.updatedSince) {
      builder.andWhere('trip.updated_at >= :since', { since: query.updatedSince });
    }
    return keysetPage(builder, {
      keys: [
        { column: 'trip.start_date', property: 'startDate' },
        { column: 'trip.id', property: 'id' },
      ],
      direction: 'DESC',
      query,
    });
  }

  /** Co-organiser ids of several trips in one query (no N+1 on lists). */
  async coOrganiserIds(
    tripIds: string[],
    manager = this.dataSource.manager,
  ): Promise<Map<string, string[]>> {
    const byTrip = new Map<string, string[]>(tripIds.map((id) => [id, []]));
    if (tripIds.length === 0) return byTrip;
    const rows = await manager
      .getRepository(TripCoOrganiser)
      .createQueryBuilder('link')
      .where('link.trip_id = ANY(:tripIds)', { tripIds })
      .orderBy('link.partner_organisation_id')
      .getMany();
    for (const row of rows) byTrip.get(row.tripId)?.push(row.partnerOrganisationId);
    return byTrip;
  }

  /**
   * Participants per status, seats taken (seated non-staff) and the travel
   * readiness of the confirmed, for several trips in one query: read from
   * the figures the participants module keeps as participants change
   * (`trip_participant_counts`), a few rows per trip however many travel.
   */
  async participantCounts(tripIds: string[]): Promise<Map<string, ParticipantCounts>> {
    const counts = new Map<string, ParticipantCounts>(
      tripIds.map((id) => [id, { byStatus: {}, seatsTaken: 0, readiness: { ...NO_READINESS } }]),
    );
    if (tripIds.length === 0) return counts;
    const rows = await this.dataSource.query<
      ({ trip_id: string; status: string; n: number; seats: number } & Omit<
        Readiness,
        'travelling'
      >)[]
    >(
      `SELECT trip_id, status, participants AS n, seated AS seats,
              visa_required AS "visaRequired", visas_not_granted AS "visasNotGranted",
              travel_documents_missing AS "travelDocumentsMissing",
              passport_expiry_warnings AS "passportExpiryWarnings"
         FROM trip_participant_counts
        WHERE trip_id = ANY($1) AND participants > 0`,
      [tripIds],
    );
    for (const { trip_id, status, n, seats, ...readiness } of rows) {
      const count = counts.get(trip_id);
      if (!count) continue;
      count.byStatus[status] = n;
      if (SEATED_STATUSES.includes(status as ParticipantStatus)) count.seatsTaken += seats;
      // Readiness is about the people about to travel: the confirmed.
      if (status === 'confirmed') count.readiness = { travelling: n, ...readiness };
    }
    return counts;
  }

  /** Agreements per status of several trips (statuses with none left out): one query. */
  async agreementCounts(tripIds: string[]): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>(tripIds.map((id) => [id, {}]));
    if (tripIds.length === 0) return counts;
    const rows = await this.dataSource.query<{ trip_id: string; status: string; n: number }[]>(
      `SELECT trip_id, status, count(*)::int AS n FROM agreements
        WHERE trip_id = ANY($1) GROUP BY trip_id, status`,
      [tripIds],
    );
    for (const { trip_id, status, n } of rows) counts.get(trip_id)![status] = n;
    return counts;
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
