import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page } from '../../common/pagination/pagination.js';
import { Contact } from '../directory/entities/contact.entity.js';
import type { ListParticipantsQuery } from './dto/participant.dto.js';
import { Participant } from './entities/participant.entity.js';

@Injectable()
export class ParticipantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findInTrip(tenantId: string, tripId: string, id: string): Promise<Participant | null> {
    return this.dataSource.getRepository(Participant).findOneBy({ tenantId, tripId, id });
  }

  lockInTrip(manager: EntityManager, tenantId: string, tripId: string, id: string) {
    return manager.findOne(Participant, {
      where: { tenantId, tripId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The tenant's contact, key-share locked: it cannot be deleted before the registration commits. */
  findContact(manager: EntityManager, tenantId: string, id: string): Promise<Contact | null> {
    return manager.findOne(Contact, { where: { tenantId, id }, lock: { mode: 'for_key_share' } });
  }

  /** The tenant's contact with this email, ignoring case (citext); key-share locked. */
  findContactByEmail(
    manager: EntityManager,
    tenantId: string,
    email: string,
  ): Promise<Contact | null> {
    return manager.findOne(Contact, {
      where: { tenantId, email },
      lock: { mode: 'for_key_share' },
    });
  }

  async isOnTrip(manager: EntityManager, tripId: string, contactId: string): Promise<boolean> {
    return manager.exists(Participant, { where: { tripId, contactId } });
  }

  /** In registration order; served by (trip_id, registered_at, id). */
  page(tenantId: string, tripId: string, query: ListParticipantsQuery): Promise<Page<Participant>> {
    const builder = this.dataSource
      .getRepository(Participant)
      .createQueryBuilder('p')
      .where('p.tenant_id = :tenantId AND p.trip_id = :tripId', { tenantId, tripId });
    if (query.status) builder.andWhere('p.status = :status', { status: query.status });
    if (query.role) builder.andWhere('p.role = :role', { role: query.role });
    if (query.category) builder.andWhere('p.category = :category', { category: query.category });
    if (query.organisationId) {
      builder.andWhere('p.organisation_id = :organisationId', {
        organisationId: query.organisationId,
      });
    }
    if (query.visaStatus) {
      builder.andWhere('p.visa_status = :visaStatus', { visaStatus: query.visaStatus });
    }
    if (query.updatedSince) {
      builder.andWhere('p.updated_at >= :since', { since: query.updatedSince });
    }
    return keysetPage(builder, {
      keys: [
        { column: 'p.registered_at', property: 'registeredAt' },
        { column: 'p.id', property: 'id' },
      ],
      direction: 'ASC',
      query,
    });
  }
}
