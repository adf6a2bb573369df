import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalData } from '../../common/personal-data/personal-data.js';
import { ContactDto } from './dto/contact.dto.js';
import { Contact } from './entities/contact.entity.js';

/**
 * A contact is the person the rights are about; the contact itself is
 * anonymised first by ContactsService.eraseInTransaction. Organisations
 * are not people.
 */
@Injectable()
export class DirectoryPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'directory',
      personal: {
        contacts: ['title', 'first_name', 'last_name', 'position', 'email', 'phone', 'notes'],
      },
      notPersonal: {
        contacts: ['preferred_language'],
        partner_organisations: [
          'name',
          'short_name',
          'kind',
          'city',
          'country',
          'website',
          'sectors',
          'register_id',
          'notes',
        ],
      },
      export: async (manager: EntityManager, tenantId: string, contactId: string) => ({
        contact: ContactDto.from(
          await manager.findOneByOrFail(Contact, { tenantId, id: contactId }),
        ),
      }),
    });
  }
}
