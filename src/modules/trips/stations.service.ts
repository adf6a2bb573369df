import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import type { Page, PageQueryDto } from '../../common/pagination/pagination.js';
import {
  InUse,
  NotFound,
  ValidationFailed,
  type FieldError,
} from '../../common/problem/domain-error.js';
import { isForeignKeyViolation } from '../../database/errors.js';
import type { Notice } from '../../common/notice.dto.js';
import { sentFields } from '../../common/validation.js';
import { auditActor } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import type { CreateStationDto, UpdateStationDto } from './dto/station.dto.js';
import { Station } from './entities/station.entity.js';
import type { Trip } from './entities/trip.entity.js';
import { StationsRepository } from './stations.repository.js';
import { TripsRepository } from './trips.repository.js';
import { STATION } from './trips.subjects.js';
import { Changes, diff } from '../audit/changes.js';

@Injectable()
export class StationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stations: StationsRepository,
    private readonly trips: TripsRepository,
    private readonly changes: Changes,
  ) {}

  /** 404 for an unknown trip, in the page's own statement. */
  list(actor: Actor, tripId: string, query: PageQueryDto): Promise<Page<Station>> {
    return this.stations.page(actor.tenantId, tripId, query);
  }

  async get(actor: Actor, tripId: string, id: string): Promise<Station> {
    const station = await this.stations.findInTrip(actor.tenantId, tripId, id);
    if (!station) throw new NotFound('station');
    return station;
  }

  create(actor: Actor, tripId: string, dto: CreateStationDto): Promise<Station> {
    return this.dataSource.transaction(async (manager) => {
      const trip = await this.lockTrip(manager, actor, tripId);
      const station = manager.create(Station, {
        ...sentFields(dto),
        tenantId: actor.tenantId,
        tripId,
        position: dto.position ?? (await this.stations.nextPosition(manager, tripId)),
      });
      assertInsideTrip(station, trip);
      await manager.save(station);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'station.created',
        subject: STATION,
        id: station.id,
        changes: diff({}, { ...sentFields(dto), tripId, position: station.position }),
      });
      return station;
    });
  }

  update(
    actor: Actor,
    tripId: string,
    id: string,
    dto: UpdateStationDto,
    expectedVersion?: number,
  ): Promise<{ station: Station; notices: Notice[] }> {
    return this.dataSource.transaction(async (manager) => {
      const trip = await this.lockTrip(manager, actor, tripId);
      const station = await this.stations.lockInTrip(manager, actor.tenantId, tripId, id);
      if (!station) throw new NotFound('station');
      assertVersion(expectedVersion, station.version);
      const changes = diff(station, sentFields(dto));
      if (!changes) return { station, notices: [] };
      Object.assign(station, sentFields(dto));
      assertInsideTrip(station, trip);
      await manager.save(station);
      // E.g. the programme: its meetings now shown in a new timezone.
      const notices = await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'station.updated',
        subject: STATION,
        id: station.id,
        changes,
      });
      return { station, notices };
    });
  }

  async delete(actor: Actor, tripId: string, id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockTrip(manager, actor, tripId);
      const station = await this.stations.lockInTrip(manager, actor.tenantId, tripId, id);
      if (!station) throw new NotFound('station');
      assertVersion(expectedVersion, station.version);
      try {
        await manager.delete(Station, { id: station.id });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new InUse('station', 'meetings of the programme');
        throw error;
      }
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'station.deleted',
        subject: STATION,
        id: station.id,
        changes: { city: { before: station.city, after: null } },
      });
    });
  }

  /** Station changes lock their trip, so they never race a change of the trip's dates. */
  private async lockTrip(manager: EntityManager, actor: Actor, tripId: string): Promise<Trip> {
    const trip = await this.trips.lockInTenant(manager, actor.tenantId, tripId);
    if (!trip) throw new NotFound('trip');
    return trip;
  }
}

function assertInsideTrip(station: Station, trip: Trip): void {
  const errors: FieldError[] = [];
  if (station.arrivalDate < trip.startDate || station.arrivalDate > trip.endDate) {
    errors.push({
      field: 'arrivalDate',
      message: `must be within the trip (${trip.startDate} to ${trip.endDate})`,
    });
  }
  if (station.departureDate < trip.startDate || station.departureDate > trip.endDate) {
    errors.push({
      field: 'departureDate',
      message: `must be within the trip (${trip.startDate} to ${trip.endDate})`,
    });
  }
  if (station.departureDate < station.arrivalDate) {
    errors.push({ field: 'departureDate', message: 'must not be before arrivalDate' });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
}
