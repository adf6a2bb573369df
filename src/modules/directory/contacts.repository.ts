import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { keysetPage, type Page } from '../../common/pagination/pagination.js';
import { CONTACTS_REACHED_IN } from '../reports/reach.js';
import { CONTACT_SEARCH_TEXT, ORGANISATION_SEARCH_TEXT } from './directory.constants.js';
import type { ListContactsQuery } from './dto/contact.dto.js';
import { Contact } from './entities/contact.entity.js';
import { matches, searchParams } from './search.js';

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
      // Contacts matching by their own text, or working at an organisation that
      // matches: two subqueries, each served by its trigram index (a plain OR
      // across the join could use neither).
      builder.andWhere(
        `(contact.id IN (SELECT c.id FROM contacts c
                          WHERE c.tenant_id = :tenantId AND ${matches(CONTACT_SEARCH_TEXT('c'))})
          OR contact.partner_organisation_id IN (
                         SELECT o.id FROM partner_organisations o
                          WHERE o.tenant_id = :tenantId AND ${matches(ORGANISATION_SEARCH_TEXT('o'))}))`,
        searchParams(query.q),
      );
    }
    if (query.partnerOrganisationId) {
      builder.andWhere('contact.partner_organisation_id = :organisationId', {
        organisationId: query.partnerOrganisationId,
      });
    }
    if (query.reachedIn) {
      builder.andWhere(`contact.id IN (${CONTACTS_REACHED_IN})`, { reachYear: query.reachedIn });
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
