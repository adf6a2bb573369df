import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Changes, Writes, type RecordedChange } from '../audit/changes.js';
import { CONTACT } from '../directory/directory.subjects.js';
import { TENANT } from '../identity/identity.subjects.js';
import { TRIP } from '../trips/trips.subjects.js';
import { PARTICIPANT } from './participants.subjects.js';

/**
 * What one participant adds to its trip's figures, as bits: 1 takes a seat
 * (not staff), 2 needs a visa, 4 needs one not yet granted, 8 needs one and
 * has no travel document, 16 has a passport expiring within the agency's
 * margin after the trip. Read over ROWS.
 */
const FLAGS = `(CASE WHEN p.role <> 'staff' THEN 1 ELSE 0 END
  | CASE WHEN p.visa_required THEN 2 ELSE 0 END
  | CASE WHEN p.visa_required AND p.visa_status <> 'granted' THEN 4 ELSE 0 END
  | CASE WHEN p.visa_required AND d.participant_id IS NULL THEN 8 ELSE 0 END
  | CASE WHEN d.expires_on < t.end_date + make_interval(months => tn.passport_validity_margin_months)
         THEN 16 ELSE 0 END)::smallint`;

const ROWS = `participants p
  JOIN trips t ON t.id = p.trip_id
  JOIN tenants tn ON tn.id = t.tenant_id
  LEFT JOIN travel_documents d ON d.participant_id = p.id`;

const COLUMNS = [
  'participants',
  'seated',
  'visa_required',
  'visas_not_granted',
  'travel_documents_missing',
  'passport_expiry_warnings',
] as const;

/** The figures of rows `(trip_id, status, sign, flags)`, summed per trip and status. */
const SUMS = [
  `sum(sign)::int AS ${COLUMNS[0]}`,
  ...[1, 2, 4, 8, 16].map(
    (bit, n) =>
      `sum(CASE WHEN (flags & ${bit}) <> 0 THEN sign ELSE 0 END)::int AS ${COLUMNS[n + 1]}`,
  ),
].join(', ');

/** Rows holding a travel document: the ones whose passport-margin flag can change. */
const HAS_DOCUMENT = 'EXISTS (SELECT 1 FROM travel_documents d WHERE d.participant_id = p.id)';

/** A trip and status whose counted figures differ from a recount. */
export interface CountDifference {
  tripId: string;
  status: string;
  counted: number[];
  recounted: number[];
}

/**
 * Keeps `trip_participant_counts` true as participants change, in the
 * transaction of the change (a subscriber of the change seam): each
 * participant row remembers what it was counted as, so a change moves its
 * contribution from the old figures to the new ones in one statement,
 * whatever path changed it. Trip reads then cost the same for ten
 * participants as for a hundred thousand.
 */
@Injectable()
export class TripCounts implements OnModuleInit {
  constructor(private readonly changes: Changes) {}

  onModuleInit(): void {
    this.changes.subscribe(PARTICIPANT, async (manager, change) => {
      if (!change.id) return;
      // A participant created in this transaction is locked by its INSERT: counted with the
      // change's other writes.
      if (change.action === 'participant.created') this.refreshIn(change.writes, [change.id]);
      else await this.refresh(manager, [change.id]);
    });
    this.changes.subscribe(TRIP, (manager, change) => this.afterTripChange(manager, change));
    this.changes.subscribe(TENANT, (manager, change) =>
      change.changes?.passportValidityMarginMonths
        ? this.refreshWhere(manager, `p.tenant_id = $1 AND ${HAS_DOCUMENT}`, [change.tenantId])
        : Promise.resolve(),
    );
    this.changes.subscribe(CONTACT, (manager, change) =>
      change.action === 'contact.erased'
        ? this.refreshWhere(manager, 'p.tenant_id = $1 AND p.contact_id = $2', [
            change.tenantId,
            change.id,
          ])
        : Promise.resolve(),
    );
  }

  private async afterTripChange(manager: EntityManager, change: RecordedChange): Promise<void> {
    // The passport margin is counted from the trip's end...
    if (change.changes?.endDate) {
      await this.refreshWhere(manager, `p.trip_id = $1 AND ${HAS_DOCUMENT}`, [change.id]);
    }
    // ...and purged documents are missing now.
    if (change.action === 'travel_documents.purged') {
      await this.refreshWhere(manager, 'p.trip_id = $1', [change.id]);
    }
  }

  /** Recounts the participants `where` selects (locked first, in id order). */
  private async refreshWhere(manager: EntityManager, where: string, params: unknown[]) {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT p.id FROM participants p WHERE ${where} ORDER BY p.id FOR UPDATE`,
      params,
    );
    await this.refresh(
      manager,
      rows.map((row) => row.id),
    );
  }

  /**
   * Moves these participants' contributions to what their rows say now.
   * The caller's transaction holds (or this takes) their row locks, so the
   * statement sees their latest state and no two transactions move the same
   * contribution.
   */
  async refresh(manager: EntityManager, participantIds: string[]): Promise<void> {
    if (participantIds.length === 0) return;
    await manager.query(`SELECT 1 FROM participants WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [
      participantIds,
    ]);
    const writes = new Writes();
    this.refreshIn(writes, participantIds);
    await writes.run(manager);
  }

  /**
   * The statement of `refresh` among `writes`, for participants whose row
   * locks the transaction holds already (e.g. it has just inserted them).
   */
  private refreshIn(writes: Writes, participantIds: string[]): void {
    const moved = writes.add(
      `UPDATE participants p SET counted_status = f.status, counted_flags = f.flags
         FROM (SELECT p.id, p.trip_id, p.status, p.counted_status, p.counted_flags, ${FLAGS} AS flags
                 FROM ${ROWS}
                WHERE p.id = ANY(${writes.param(participantIds)}::uuid[])) f
        WHERE p.id = f.id
          AND (p.counted_status IS DISTINCT FROM f.status OR p.counted_flags <> f.flags)
       RETURNING f.trip_id, f.status, f.flags, f.counted_status, f.counted_flags`,
    );
    writes.add(
      `INSERT INTO trip_participant_counts AS c (trip_id, status, ${COLUMNS.join(', ')})
       SELECT trip_id, status, ${SUMS}
         FROM (SELECT trip_id, counted_status AS status, -1 AS sign, counted_flags AS flags
                 FROM ${moved} WHERE counted_status IS NOT NULL
               UNION ALL
               SELECT trip_id, status, 1, flags FROM ${moved}) deltas
        GROUP BY trip_id, status
       ON CONFLICT (trip_id, status) DO UPDATE
          SET ${COLUMNS.map((column) => `${column} = c.${column} + excluded.${column}`).join(', ')}`,
    );
  }

  /**
   * Counts these trips' figures again from the rows (after rows were written
   * around the seam, e.g. a bulk import, or to repair a difference found by
   * `differences`); their rows are locked while it runs.
   */
  async rebuild(manager: EntityManager, tripIds: string[]): Promise<void> {
    if (tripIds.length === 0) return;
    await manager.query(`SELECT 1 FROM trips WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [tripIds]);
    await manager.query(
      `UPDATE participants p SET counted_status = p.status, counted_flags = f.flags
         FROM (SELECT p.id, ${FLAGS} AS flags FROM ${ROWS} WHERE p.trip_id = ANY($1)) f
        WHERE p.id = f.id`,
      [tripIds],
    );
    await manager.query(`DELETE FROM trip_participant_counts WHERE trip_id = ANY($1)`, [tripIds]);
    await manager.query(
      `INSERT INTO trip_participant_counts (trip_id, status, ${COLUMNS.join(', ')})
       SELECT trip_id, counted_status, ${SUMS}
         FROM (SELECT trip_id, counted_status, 1 AS sign, counted_flags AS flags
                 FROM participants WHERE trip_id = ANY($1)) r
        GROUP BY trip_id, counted_status`,
      [tripIds],
    );
  }

  /** Trips and statuses whose figures differ from a recount of the rows (none, when all is well). */
  async differences(manager: EntityManager): Promise<CountDifference[]> {
    const rows = await manager.query<
      { trip_id: string; status: string; counted: number[]; recounted: number[] }[]
    >(
      `WITH truth AS (
         SELECT trip_id, status, ${SUMS}
           FROM (SELECT p.trip_id, p.status, 1 AS sign, ${FLAGS} AS flags FROM ${ROWS}) r
          GROUP BY trip_id, status),
       both_sides AS (
         SELECT coalesce(c.trip_id, r.trip_id) AS trip_id, coalesce(c.status, r.status) AS status,
                ARRAY[${COLUMNS.map((column) => `coalesce(c.${column}, 0)`).join(', ')}] AS counted,
                ARRAY[${COLUMNS.map((column) => `coalesce(r.${column}, 0)`).join(', ')}] AS recounted
           FROM trip_participant_counts c
           FULL JOIN truth r ON r.trip_id = c.trip_id AND r.status = c.status)
       SELECT * FROM both_sides WHERE counted <> recounted ORDER BY trip_id, status`,
    );
    return rows.map((row) => ({
      tripId: row.trip_id,
      status: row.status,
      counted: row.counted,
      recounted: row.recounted,
    }));
  }
}
