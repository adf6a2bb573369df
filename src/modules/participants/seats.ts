import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFound } from '../../common/problem/domain-error.js';
import { sqlList } from '../../database/sql.js';
import type { AuditActor } from '../audit/audit.service.js';
import { Changes, type RecordedChange } from '../audit/changes.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import type { WaitlistPolicy } from '../trips/trips.constants.js';
import { TripsRepository } from '../trips/trips.repository.js';
import { TRIP } from '../trips/trips.subjects.js';
import { Participant } from './entities/participant.entity.js';
import { SEATED_STATUSES, type ParticipantRole } from './participants.constants.js';
import { ParticipantRuleBroken } from './participants.errors.js';
import { PARTICIPANT } from './participants.subjects.js';

/** Who is waiting, in the order they arrived. */
export interface Waiting {
  id: string;
  organisationId: string | null;
}

const SEATED = sqlList(SEATED_STATUSES);
/** Sorts after every other id: a participant not yet saved comes last among equal arrivals. */
const LAST_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

export interface SeatState {
  /** Seated participants (confirmed, attended, no-show) other than staff. */
  confirmed: number;
  /** Seats not taken by seated participants other than staff. */
  seatsLeft: number;
  /** Seated non-staff participants per organisation. */
  confirmedByOrganisation: Map<string, number>;
  /** Per-organisation cap; null: none. */
  seatsPerOrganisation: number | null;
}

/**
 * Which of the waiting to confirm now. Representatives of one organisation
 * move together or not at all; a group fits when there are seats for all of
 * them and the organisation's cap holds. When the head of the line waits
 * for seats, `strict_order` promotes nobody behind it and `fill_gaps` goes
 * on to the next group that fits. A head held back only by its own
 * organisation's cap waits for nothing others could give it, so under
 * either policy the line moves on past it.
 */
export function choosePromotions(
  waiting: readonly Waiting[],
  state: SeatState,
  policy: WaitlistPolicy,
): string[] {
  const promoted: string[] = [];
  const seen = new Set<string>();
  const byOrganisation = new Map(state.confirmedByOrganisation);
  let seatsLeft = state.seatsLeft;
  for (const head of waiting) {
    if (seen.has(head.id)) continue;
    const group = head.organisationId
      ? waiting.filter((w) => w.organisationId === head.organisationId && !seen.has(w.id))
      : [head];
    group.forEach((member) => seen.add(member.id));
    const taken = head.organisationId ? (byOrganisation.get(head.organisationId) ?? 0) : 0;
    // Over its own cap, a group waits for nothing a seat could give it: passed under either policy.
    if (overCap(state.seatsPerOrganisation, head.organisationId, taken + group.length)) continue;
    if (group.length > seatsLeft) {
      if (policy === 'strict_order') break;
      continue;
    }
    promoted.push(...group.map((member) => member.id));
    seatsLeft -= group.length;
    if (head.organisationId) byOrganisation.set(head.organisationId, taken + group.length);
  }
  return promoted;
}

/** Whether `seated` representatives of `organisationId` would exceed the per-organisation cap. */
function overCap(cap: number | null, organisationId: string | null, seated: number): boolean {
  return cap !== null && organisationId !== null && seated > cap;
}

/**
 * Whether someone waiting waits for a seat (and so may not be overtaken
 * under `strict_order`), rather than only for their organisation's cap:
 * their group would fit the cap but not the seats left.
 */
export function waitsForSeat(waiting: readonly Waiting[], state: SeatState): boolean {
  return waiting.some((head) => {
    const group = head.organisationId
      ? waiting.filter((w) => w.organisationId === head.organisationId).length
      : 1;
    const taken = head.organisationId
      ? (state.confirmedByOrganisation.get(head.organisationId) ?? 0)
      : 0;
    return !overCap(state.seatsPerOrganisation, head.organisationId, taken + group);
  });
}

/** True when the confirmed participants exceed the capacity or an organisation's cap. */
export function overbooked(state: SeatState, capacity: number): boolean {
  const cap = state.seatsPerOrganisation;
  return (
    state.confirmed > capacity ||
    (cap !== null && [...state.confirmedByOrganisation.values()].some((n) => n > cap))
  );
}

/** Whether one more non-staff participant of `organisationId` fits right now. */
export function fitsOneMore(state: SeatState, organisationId: string | null): boolean {
  const taken = organisationId ? (state.confirmedByOrganisation.get(organisationId) ?? 0) : 0;
  return (
    state.seatsLeft >= 1 &&
    (state.seatsPerOrganisation === null || !organisationId || taken < state.seatsPerOrganisation)
  );
}

/**
 * Capacity and the waitlist of one trip. Every method expects the caller to
 * hold the trip's row lock (SELECT ... FOR UPDATE) in `manager`'s
 * transaction: that lock is what makes overbooking impossible under any
 * concurrency, since all seat decisions of a trip happen one at a time.
 */
@Injectable()
export class Seats implements OnModuleInit {
  constructor(
    private readonly changes: Changes,
    private readonly trips: TripsRepository,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(TRIP, (manager, change) => this.afterTripChange(manager, change));
  }

  /**
   * A trip's seats changed (capacity, cap or policy), its row locked by the
   * change: refused if the confirmed no longer fit; otherwise whoever fits
   * now is promoted from the waitlist at once, as done by whoever changed it.
   */
  private async afterTripChange(manager: EntityManager, change: RecordedChange): Promise<void> {
    const seats = change.changes;
    if (change.action !== 'trip.updated' || !change.id) return;
    if (!seats?.capacity && !seats?.seatsPerOrganisation && !seats?.waitlistPolicy) return;
    // The change holds the trip's lock already: taking it again costs nothing.
    const trip = await this.trips.lockInTenant(manager, change.tenantId, change.id);
    if (!trip) throw new NotFound('trip');
    if (overbooked(await this.state(manager, trip), trip.capacity)) {
      throw new ParticipantRuleBroken('capacity_below_confirmed');
    }
    await this.rebalance(manager, trip, change.actor);
  }

  async state(manager: EntityManager, trip: Trip): Promise<SeatState> {
    const rows = await manager.query<{ organisation_id: string | null; n: number }[]>(
      `SELECT organisation_id, count(*)::int AS n FROM participants
        WHERE trip_id = $1 AND status IN (${SEATED}) AND role <> 'staff'
        GROUP BY organisation_id`,
      [trip.id],
    );
    const confirmed = rows.reduce((sum, row) => sum + row.n, 0);
    return {
      confirmed,
      seatsLeft: Math.max(0, trip.capacity - confirmed),
      confirmedByOrganisation: new Map(
        rows.filter((row) => row.organisation_id).map((row) => [row.organisation_id ?? '', row.n]),
      ),
      seatsPerOrganisation: trip.seatsPerOrganisation,
    };
  }

  /**
   * Where a newcomer lands: staff always confirmed; others confirmed when
   * they fit and nobody they would overtake is waiting: a colleague of
   * their organisation (under either policy), or, under `strict_order`,
   * anyone waiting for a seat (not someone held back only by their own
   * organisation's cap).
   */
  async placement(
    manager: EntityManager,
    trip: Trip,
    newcomer: { role: ParticipantRole; organisationId: string | null },
  ): Promise<'confirmed' | 'waitlisted'> {
    if (newcomer.role === 'staff') return 'confirmed';
    const waiting = await this.waiting(manager, trip.id);
    const state = await this.state(manager, trip);
    const colleagueWaits = waiting.some(
      (w) => w.organisationId !== null && w.organisationId === newcomer.organisationId,
    );
    const overtakes =
      colleagueWaits || (trip.waitlistPolicy === 'strict_order' && waitsForSeat(waiting, state));
    return !overtakes && fitsOneMore(state, newcomer.organisationId) ? 'confirmed' : 'waitlisted';
  }

  /**
   * Promotes whoever fits now (after a cancellation, a capacity change...)
   * and renumbers the line. Each promotion is audited as done by `by`, the
   * actor whose change freed the seats, and tells the participant by email.
   */
  async rebalance(manager: EntityManager, trip: Trip, by: AuditActor): Promise<string[]> {
    const waiting = await this.waiting(manager, trip.id);
    const promoted = choosePromotions(
      waiting,
      await this.state(manager, trip),
      trip.waitlistPolicy,
    );
    if (promoted.length > 0) {
      await manager
        .createQueryBuilder()
        .update(Participant)
        .set({
          status: 'confirmed',
          waitlistPosition: null,
          statusChangedAt: () => 'clock_timestamp()',
        })
        .where('id IN (:...promoted)', { promoted })
        .execute();
      // Each promoted participant hears of it (a subscriber of the change writes the message).
      // Each promoted participant hears of it (a subscriber of the change writes the message).
      for (const id of promoted) {
        await this.changes.record(manager, by, {
          tenantId: trip.tenantId,
          action: 'participant.promoted',
          subject: PARTICIPANT,
          id,
          changes: { status: { before: 'waitlisted', after: 'confirmed' } },
        });
      }
    }
    await this.renumber(manager, trip.id);
    return promoted;
  }

  /**
   * Waitlist positions 1..n in arrival order. A moved position is a change
   * of the participant: new version (ETag) and updatedAt, so cached copies
   * and `updatedSince` syncs see it.
   */
  async renumber(manager: EntityManager, tripId: string): Promise<void> {
    await manager.query(
      `UPDATE participants p
          SET waitlist_position = line.position, version = p.version + 1, updated_at = now()
         FROM (SELECT id, row_number() OVER (ORDER BY registered_at, id)::int AS position
                 FROM participants WHERE trip_id = $1 AND status = 'waitlisted') line
        WHERE p.id = line.id AND p.waitlist_position IS DISTINCT FROM line.position`,
      [tripId],
    );
  }

  /**
   * The arrival instant of a newcomer: the database's clock (one clock for
   * every API process), and strictly after everyone already on the trip, so
   * arrival order is total and the newcomer is last in line. Under the
   * trip's lock, arrivals are stamped in the order seats are decided.
   */
  async nextArrival(manager: EntityManager, tripId: string): Promise<Date> {
    const [row] = await manager.query<{ at: Date }[]>(
      `SELECT greatest(date_trunc('milliseconds', clock_timestamp()),
                       max(registered_at) + interval '1 millisecond') AS at
         FROM participants WHERE trip_id = $1`,
      [tripId],
    );
    return row.at;
  }

  /**
   * The place in line of a participant joining the waitlist: behind everyone
   * waiting who arrived before them (a newcomer, not yet saved, is last).
   */
  async placeInLine(
    manager: EntityManager,
    participant: { tripId: string; id?: string; registeredAt: Date },
  ): Promise<number> {
    const [row] = await manager.query<{ ahead: number }[]>(
      `SELECT count(*)::int AS ahead FROM participants
        WHERE trip_id = $1 AND status = 'waitlisted'
          AND (registered_at, id) < ($2::timestamptz, coalesce($3::uuid, '${LAST_UUID}'))`,
      [participant.tripId, participant.registeredAt, participant.id ?? null],
    );
    return row.ahead + 1;
  }

  private async waiting(manager: EntityManager, tripId: string): Promise<Waiting[]> {
    return manager
      .createQueryBuilder(Participant, 'p')
      .select(['p.id', 'p.organisationId'])
      .where("p.trip_id = :tripId AND p.status = 'waitlisted'", { tripId })
      .orderBy('p.registered_at')
      .addOrderBy('p.id')
      .getMany();
  }
}
