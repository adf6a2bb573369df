import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Page } from '../../common/pagination/pagination.js';
import {
  InUse,
  NotFound,
  ValidationFailed,
  type FieldError,
} from '../../common/problem/domain-error.js';
import { isForeignKeyViolation } from '../../database/errors.js';
import { startOfDay } from '../../common/time.js';
import { sentFields } from '../../common/validation.js';
import { lockForChange } from '../../database/tenant-rows.js';
import { auditActor } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import type { CreateTripDto, ListTripsQuery, UpdateTripDto } from './dto/trip.dto.js';
import { Trip } from './entities/trip.entity.js';
import { IllegalTransition, StationsOutsideTrip, TripNotDraft } from './trips.errors.js';
import { TRIP_TRANSITIONS, type TripStatus } from './trips.constants.js';
import { TripsRepository } from './trips.repository.js';
import { TripReads, type TripView } from './trip-reads.js';
import { TRIP } from './trips.subjects.js';
import { Changes, diff } from '../audit/changes.js';

const WHAT = 'trip';

@Injectable()
export class TripsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly trips: TripsRepository,
    private readonly reads: TripReads,
    private readonly changes: Changes,
  ) {}

  list(actor: Actor, query: ListTripsQuery): Promise<Page<TripView>> {
    return this.reads.page(actor.tenantId, query);
  }

  async get(actor: Actor, id: string): Promise<TripView> {
    const view = await this.reads.one(actor.tenantId, id);
    if (!view) throw new NotFound(WHAT);
    return view;
  }

  async create(actor: Actor, dto: CreateTripDto): Promise<TripView> {
    const { coOrganiserIds, ...fields } = sentFields(dto);
    const trip = await this.dataSource.transaction(async (manager) => {
      const created = manager.create(Trip, { ...fields, tenantId: actor.tenantId });
      await this.assertRules(manager, actor, created, dto);
      await manager.save(created);
      if (coOrganiserIds) await this.trips.replaceCoOrganisers(manager, created.id, coOrganiserIds);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'trip.created',
        subject: TRIP,
        id: created.id,
        changes: diff({}, sentFields(dto)),
      });
      return created;
    });
    return this.view(trip);
  }

  async update(
    actor: Actor,
    id: string,
    dto: UpdateTripDto,
    expectedVersion?: number,
  ): Promise<TripView> {
    const { coOrganiserIds, ...fields } = sentFields(dto);
    const trip = await this.dataSource.transaction(async (manager) => {
      const trip = await lockForChange(manager, Trip, actor.tenantId, id, expectedVersion, WHAT);
      const before = { ...trip, coOrganiserIds: await this.trips.coOrganiserIds(manager, trip.id) };
      const changes = diff(before, sentFields(dto));
      if (!changes) return trip;
      Object.assign(trip, fields);
      await this.assertRules(manager, actor, trip, dto);
      if (changes.startDate || changes.endDate) {
        const outside = await this.trips.stationsOutside(
          manager,
          trip.id,
          trip.startDate,
          trip.endDate,
        );
        if (outside.length > 0) throw new StationsOutsideTrip(outside);
      }
      // A change of co-organisers alone is still a change of the trip: new version and ETag.
      trip.updatedAt = new Date();
      await manager.save(trip);
      if (changes.coOrganiserIds) {
        await this.trips.replaceCoOrganisers(manager, trip.id, coOrganiserIds ?? []);
      }
      // Seats changed: the participants module refuses a capacity below the confirmed and
      // promotes whoever fits now (a subscriber of this change).
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'trip.updated',
        subject: TRIP,
        id: trip.id,
        changes,
      });
      return trip;
    });
    return this.view(trip);
  }

  /** Moves the trip along its lifecycle; anything else is 409 naming the allowed next states. */
  async transition(
    actor: Actor,
    id: string,
    to: TripStatus,
    expectedVersion?: number,
  ): Promise<TripView> {
    const trip = await this.dataSource.transaction(async (manager) => {
      const trip = await lockForChange(manager, Trip, actor.tenantId, id, expectedVersion, WHAT);
      const allowed = TRIP_TRANSITIONS[trip.status];
      if (!allowed.includes(to)) throw new IllegalTransition(trip.status, to, allowed);
      const from = trip.status;
      trip.status = to;
      await manager.save(trip);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'trip.status_changed',
        subject: TRIP,
        id: trip.id,
        changes: { status: { before: from, after: to } },
      });
      return trip;
    });
    return this.view(trip);
  }

  /** Only drafts can be deleted (with their stations); anything later is cancelled instead. */
  async delete(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    try {
      await this.deleteDraft(actor, id, expectedVersion);
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new InUse(WHAT, 'participants, invitations, meetings or agreements');
      }
      throw error;
    }
  }

  private async deleteDraft(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const trip = await lockForChange(manager, Trip, actor.tenantId, id, expectedVersion, WHAT);
      if (trip.status !== 'draft') throw new TripNotDraft(trip.status);
      await manager.delete(Trip, { tenantId: actor.tenantId, id });
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'trip.deleted',
        subject: TRIP,
        id: id,
        changes: { title: { before: trip.title, after: null } },
      });
    });
  }

  /** The trip as it is now (after a change has committed): one statement. */
  private async view(trip: Trip): Promise<TripView> {
    const view = await this.reads.one(trip.tenantId, trip.id);
    if (!view) throw new NotFound(WHAT);
    return view;
  }

  /**
   * The rules of a trip's own fields, on the state it would have: end not
   * before start, a registration window that closes before the trip starts
   * (start of its first day in the agency's timezone), and references to the
   * tenant's own organisations and contacts.
   */
  private async assertRules(
    manager: EntityManager,
    actor: Actor,
    trip: Trip,
    dto: UpdateTripDto,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (trip.endDate < trip.startDate) {
      errors.push({ field: 'endDate', message: 'must not be before startDate' });
    }
    const { registrationOpensAt: opens, registrationClosesAt: closes } = trip;
    if (opens && closes && opens >= closes) {
      errors.push({ field: 'registrationClosesAt', message: 'must be after registrationOpensAt' });
    }
    if (closes) {
      const timezone = await this.trips.agencyTimezone(manager, actor.tenantId);
      if (closes >= startOfDay(trip.startDate, timezone)) {
        errors.push({
          field: 'registrationClosesAt',
          message: `must be before the trip starts (${trip.startDate}, ${timezone})`,
        });
      }
    }
    if (dto.coOrganiserIds?.length) {
      const found = await this.trips.existingIds(
        manager,
        'partner_organisations',
        actor.tenantId,
        dto.coOrganiserIds,
      );
      if (dto.coOrganiserIds.some((orgId) => !found.has(orgId))) {
        errors.push({ field: 'coOrganiserIds', message: 'must all be your partner organisations' });
      }
    }
    if (dto.leadContactId) {
      const found = await this.trips.existingIds(manager, 'contacts', actor.tenantId, [
        dto.leadContactId,
      ]);
      if (!found.has(dto.leadContactId)) {
        errors.push({ field: 'leadContactId', message: 'is not one of your contacts' });
      }
    }
    if (errors.length > 0) throw new ValidationFailed(errors);
  }
}
