import { Injectable } from '@nestjs/common';
import { DataSource, type EntityMetadata } from 'typeorm';
import type { ObjectLiteral } from 'typeorm';
import {
  inParent,
  keysetPageSql,
  type KeysetOptions,
  type Page,
} from '../../common/pagination/pagination.js';
import { NotFound } from '../../common/problem/domain-error.js';
import { preparedQuery } from '../../database/prepared.js';
import { selectColumns } from '../../database/select-columns.js';
import { WIRE_TYPES, type WireRow } from '../../database/wire-timestamps.js';
import { SEATED_STATUSES, type ParticipantStatus } from '../participants/participants.constants.js';
import type { ListTripsQuery } from './dto/trip.dto.js';
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

/** A trip as the API shows it: the row and what is counted about it. */
export interface TripView {
  /** Timestamps as ISO 8601 text, as the API sends them (see WireRow). */
  trip: WireRow<Trip>;
  coOrganiserIds: string[];
  /** Participants per status. */
  participantCounts: Record<string, number>;
  /** Agreements from this trip per status. */
  agreementCounts: Record<string, number>;
  /** Seats not taken by confirmed participants other than staff. */
  seatsLeft: number;
  readiness: Readiness;
}

/** One status's line of `trip_participant_counts`. */
interface StatusCount extends Omit<Readiness, 'travelling'> {
  status: ParticipantStatus;
  n: number;
  seats: number;
}

export type TripRow = WireRow<Trip> & {
  coOrganiserIds: string[];
  statusCounts: StatusCount[] | null;
  agreementCounts: Record<string, number> | null;
};

/**
 * What a trip's view counts, as subqueries of the trip row `t`, each served
 * by an index on `trip_id`: co-organisers, the participant figures the
 * participants module keeps as participants change (a few rows per trip
 * however many travel), and agreements per status.
 */
const VIEW_COLUMNS = `
  ARRAY(SELECT l.partner_organisation_id FROM trip_co_organisers l
         WHERE l.trip_id = t.id ORDER BY l.partner_organisation_id) AS "coOrganiserIds",
  (SELECT json_agg(json_build_object(
            'status', c.status, 'n', c.participants, 'seats', c.seated,
            'visaRequired', c.visa_required, 'visasNotGranted', c.visas_not_granted,
            'travelDocumentsMissing', c.travel_documents_missing,
            'passportExpiryWarnings', c.passport_expiry_warnings))
     FROM trip_participant_counts c
    WHERE c.trip_id = t.id AND c.participants > 0) AS "statusCounts",
  (SELECT json_object_agg(a.status, a.n)
     FROM (SELECT status, count(*)::int AS n FROM agreements
            WHERE trip_id = t.id GROUP BY status) a) AS "agreementCounts"`;

/** The statement of a trip's view up to its WHERE (`trips t`); the benchmark's bare server runs it too. */
/**
 * The `run` of a `keysetPageSql` for rows of one of the agency's trips
 * (`$1` the agency, `$2` the trip; the trip is `t` in the page's SQL): the
 * page is joined to the trip's row, so an unknown trip is 404 in the same
 * statement (issue 21).
 */
export function inTrip<T extends ObjectLiteral>(
  run: (sql: string, params: unknown[]) => Promise<T[]>,
  order: Pick<KeysetOptions<T>, 'keys' | 'direction'>,
): (sql: string, params: unknown[]) => Promise<T[]> {
  return inParent(
    run,
    { from: 'trips t', where: 't.tenant_id = $1 AND t.id = $2' },
    order,
    () => new NotFound('trip'),
  );
}

export function tripSelect(metadata: EntityMetadata): string {
  return `SELECT ${selectColumns(metadata, 't')}, ${VIEW_COLUMNS} FROM trips t`;
}

/**
 * The hot reads of trips (issue 21): a trip, or a page of trips, with
 * everything its view shows, in one plain SQL statement (TypeORM's query
 * building and hydration took a third of the CPU of these requests).
 * Writes keep going through the entity.
 */
@Injectable()
export class TripReads {
  private readonly select: string;
  private readonly oneSql: string;

  constructor(private readonly dataSource: DataSource) {
    this.select = tripSelect(dataSource.getMetadata(Trip));
    this.oneSql = `${this.select} WHERE t.tenant_id = $1 AND t.id = $2`;
  }

  async one(tenantId: string, id: string): Promise<TripView | null> {
    const [row] = await preparedQuery<TripRow>(
      this.dataSource,
      this.oneSql,
      [tenantId, id],
      WIRE_TYPES,
    );
    return row ? viewOf(row) : null;
  }

  /** Newest start first; served by (tenant_id, start_date, id) or (tenant_id, status, start_date, id). */
  async page(tenantId: string, query: ListTripsQuery): Promise<Page<TripView>> {
    const params: unknown[] = [tenantId];
    const where = ['t.tenant_id = $1'];
    const add = (condition: (placeholder: string) => string, value: unknown) =>
      where.push(condition(`$${params.push(value)}`));
    if (query.status) add((p) => `t.status = ANY(${p}::text[])`, query.status);
    if (query.kind) add((p) => `t.kind = ${p}`, query.kind);
    if (query.country) add((p) => `t.countries @> ARRAY[${p}::text]`, query.country);
    if (query.year) {
      add((p) => `t.start_date >= ${p}::date`, `${query.year}-01-01`);
      add((p) => `t.start_date < ${p}::date`, `${query.year + 1}-01-01`);
    }
    if (query.from) add((p) => `t.end_date >= ${p}::date`, query.from);
    if (query.to) add((p) => `t.start_date <= ${p}::date`, query.to);
    if (query.updatedSince) add((p) => `t.updated_at >= ${p}`, query.updatedSince);
    const page = await keysetPageSql<TripRow>(
      (sql, values) => preparedQuery(this.dataSource, sql, values, WIRE_TYPES),
      { select: this.select, where, params },
      {
        keys: [
          { column: 't.start_date', property: 'startDate' },
          { column: 't.id', property: 'id' },
        ],
        direction: 'DESC',
        query,
      },
    );
    return { items: page.items.map(viewOf), nextCursor: page.nextCursor };
  }
}

const NO_READINESS: Readiness = {
  travelling: 0,
  visaRequired: 0,
  visasNotGranted: 0,
  travelDocumentsMissing: 0,
  passportExpiryWarnings: 0,
};

export function viewOf({
  coOrganiserIds,
  statusCounts,
  agreementCounts,
  ...trip
}: TripRow): TripView {
  const participantCounts: Record<string, number> = {};
  let seatsTaken = 0;
  let readiness = NO_READINESS;
  for (const { status, n, seats, ...figures } of statusCounts ?? []) {
    participantCounts[status] = n;
    if (SEATED_STATUSES.includes(status)) seatsTaken += seats;
    // Readiness is about the people about to travel: the confirmed.
    if (status === 'confirmed') readiness = { travelling: n, ...figures };
  }
  return {
    trip,
    coOrganiserIds,
    participantCounts,
    agreementCounts: agreementCounts ?? {},
    seatsLeft: Math.max(0, trip.capacity - seatsTaken),
    readiness,
  };
}
