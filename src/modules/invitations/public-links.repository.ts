import { Injectable } from '@nestjs/common';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
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

/** The statuses in which an open trip's public page shows (and says whether one can register). */
const OPEN_TRIP_STATUSES: readonly TripStatus[] = [
  'planned',
  'registration_open',
  'registration_closed',
];

/** What invitees and participants see and change through their links, read for them. */
@Injectable()
export class PublicLinksRepository {
  /** The invitation or registration with this id, with the nonce its links are signed with. */
  withNonce<T extends Invitation | Participant>(
    manager: EntityManager,
    entity: new () => T,
    nonce: 'tokenNonce' | 'accessNonce',
    id: string,
  ): Promise<T | null> {
    return manager
      .getRepository(entity)
      .createQueryBuilder('row')
      .addSelect(`row.${nonce}`)
      .where('row.id = :id', { id })
      .getOne();
  }

  /**
   * Trip, contact and the row itself, locked in that order when asked (seat
   * decisions hold the trip's lock; an erasure locks the contact, then its
   * invitations, so taking the contact first cannot deadlock with it), and
   * the agency. Null when any is gone or the person was erased.
   */
  async opened<T extends Invitation | Participant>(
    manager: EntityManager,
    entity: new () => T,
    row: T,
    lock: boolean,
  ): Promise<Opened<T> | null> {
    const trip = await manager.findOne(Trip, {
      where: { id: row.tripId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    const contact = await manager.findOne(Contact, {
      where: { id: row.contactId },
      ...(lock ? { lock: { mode: 'for_key_share' as const } } : {}),
    });
    const current = lock
      ? await manager.getRepository(entity).findOne({
          where: { id: row.id } as FindOptionsWhere<T>,
          lock: { mode: 'pessimistic_write' },
        })
      : row;
    if (!trip || !contact || contact.erasedAt || !current) return null;
    const tenant = await manager.findOneByOrFail(Tenant, { id: row.tenantId });
    return { row: current, trip, tenant, contact };
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

  /** The nonce of a registration's link (a participant's access nonce). */
  async accessNonce(manager: EntityManager, participantId: string): Promise<string> {
    const { accessNonce } = await manager.findOneOrFail(Participant, {
      select: { id: true, accessNonce: true },
      where: { id: participantId },
    });
    return accessNonce!;
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
