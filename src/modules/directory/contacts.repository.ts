import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { keysetPage, type Page } from '../../common/pagination/pagination.js';
import { CONTACT_SEARCH_TEXT, ORGANISATION_SEARCH_TEXT } from './directory.constants.js';
import type { ListContactsQuery } from './dto/contact.dto.js';
import { Contact } from './entities/contact.entity.js';
import { whereMatches } from './search.js';

@Injectable()
export class ContactsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findInTenant(tenantId: string, id: string): Promise<Contact | null> {
    return this.dataSource.getRepository(Contact).findOneBy({ tenantId, id });
  }

  findByEmail(tenantId: string, email: string): Promise<Contact | null> {
    return this.dataSource.getRepository(Contact).findOneBy({ tenantId, email });
  }

  /** By last name, then id; served by (tenant_id, last_name, id), `q` by trigram indexes. */
  page(tenantId: string, query: ListContactsQuery): Promise<Page<Contact>> {
    const builder = this.dataSource
      .getRepository(Contact)
      .createQueryBuilder('contact')
      .where('contact.tenant_id = :tenantId', { tenantId });
    if (query.q) {
      builder.leftJoin('contact.partnerOrganisation', 'org');
      whereMatches(builder, query.q, [
        CONTACT_SEARCH_TEXT('contact'),
        ORGANISATION_SEARCH_TEXT('org'),
      ]);
    }
    if (query.partnerOrganisationId) {
      builder.andWhere('contact.partner_organisation_id = :organisationId', {
        organisationId: query.partnerOrganisationId,
      });
    }
    if (query.updatedSince) {
      builder.andWhere('contact.updated_at >= :since', { since: query.updatedSince });
    }
    return keysetPage(builder, {
      keys: [
        { column: 'contact.last_name', property: 'lastName' },
        { column: 'contact.id', property: 'id' },
      ],
      direction: 'ASC',
      query,
    });
  }
}
