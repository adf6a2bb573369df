import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Contact } from '../directory/entities/contact.entity.js';
import { PartnerOrganisation } from '../directory/entities/partner-organisation.entity.js';
import { Tenant } from '../identity/entities/tenant.entity.js';
import { Participant } from '../participants/entities/participant.entity.js';
import { Station } from '../trips/entities/station.entity.js';
import { Trip } from '../trips/entities/trip.entity.js';
import type { TripStatus } from '../trips/trips.constants.js';
import type { Invitation } from './entities/invitation.entity.js';

/** What a link opens: its invitation or registration, with trip, agency and contact. */
export interface Opened<T> {
  row: T;
  trip: Trip;
  tenant: Tenant;
  contact: Contact;
}

/** Where `opened` maps the rows joined to an invitation or registration. */
interface Joined {
  openedTrip: Trip;
  openedContact: Contact;
  openedTenant: Tenant;
}

/** The statuses in which an open trip's public page shows (and says whether one can register). */
const OPEN_TRIP_STATUSES: readonly TripStatus[] = [
  'planned',
  'registration_open',
  'registration_closed',
];

/** What invitees and participants see and change through their links, read for them. */
@Injectable()
export class PublicLinksRepository {
  /**
   * The invitation or registration with this id, with the nonce its links
   * are signed with, its trip, contact and agency: one query. When `lock`,
   * trip, contact and the row itself are locked first, in that order (seat
   * decisions hold the trip's lock; an erasure locks the contact, then its
   * invitations, so taking the contact first cannot deadlock with it), and
   * what is read is their latest state. Null when any is gone or the person
   * was erased.
   */
  async opened<T extends Invitation | Participant>(
    manager: EntityManager,
    entity: new () => T,
    id: string,
    lock: boolean,
  ): Promise<Opened<T> | null> {
    const metadata = manager.connection.getMetadata(entity);
    if (lock) {
      const locked = await manager.query<unknown[]>(
        `SELECT 1 FROM trips t, contacts c, ${metadata.tableName} x
          WHERE x.id = $1 AND t.id = x.trip_id AND c.id = x.contact_id
            FOR UPDATE OF t FOR KEY SHARE OF c FOR UPDATE OF x`,
        [id],
      );
      if (locked.length === 0) return null;
    }
    const nonce = entity === Participant ? 'accessNonce' : 'tokenNonce';
    const found = await manager
      .getRepository(entity)
      .createQueryBuilder('row')
      .addSelect(`row.${nonce}`)
      .innerJoinAndMapOne('row.openedTrip', Trip, 'trip', 'trip.id = row.trip_id')
      .innerJoinAndMapOne('row.openedContact', Contact, 'contact', 'contact.id = row.contact_id')
      .innerJoinAndMapOne('row.openedTenant', Tenant, 'tenant', 'tenant.id = row.tenant_id')
      .where('row.id = :id', { id })
      .getOne();
    if (!found) return null;
    // The joined rows are mapped onto the row; they leave it, so that saving it saves it alone.
    const { openedTrip: trip, openedContact: contact, openedTenant: tenant } = found as T & Joined;
    for (const key of ['openedTrip', 'openedContact', 'openedTenant']) {
      Reflect.deleteProperty(found, key);
    }
    return contact.erasedAt ? null : { row: found, trip, tenant, contact };
  }

  /**
   * A trip anyone may register for (`open` mode), by its public id, locked
   * when `lock` (seats are decided), with its agency; null for any other
   * trip, and for one not yet planned, cancelled or over.
   */
  async openTrip(
    manager: EntityManager,
    publicId: string,
    lock: boolean,
  ): Promise<{ trip: Trip; tenant: Tenant } | null> {
    const trip = await manager.findOne(Trip, {
      where: { publicId, registrationMode: 'open' },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!trip || !OPEN_TRIP_STATUSES.includes(trip.status)) return null;
    const tenant = await manager.findOneByOrFail(Tenant, { id: trip.tenantId });
    return { trip, tenant };
  }

  /** The organisation a link's person is shown with; null when none. */
  async organisation(
    manager: EntityManager,
    id: string | null,
  ): Promise<{ id: string; name: string } | null> {
    const organisation = id ? await manager.findOneBy(PartnerOrganisation, { id }) : null;
    return organisation && { id: organisation.id, name: organisation.name };
  }

  /** The trip's stations, in route order. */
  stations(manager: EntityManager, tripId: string): Promise<Station[]> {
    return manager.find(Station, { where: { tripId }, order: { position: 'ASC' } });
  }
}
