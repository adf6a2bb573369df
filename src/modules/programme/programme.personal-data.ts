import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalData } from '../../common/personal-data/personal-data.js';
import { MeetingContact } from './entities/meeting-counterpart.entity.js';

/**
 * Meetings describe the agency's business (whom it met, where, what came of
 * it); the people met are contacts, linked by id.
 */
@Injectable()
export class ProgrammePersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'programme',
      personal: {},
      notPersonal: {
        meetings: [
          'title',
          'kind',
          'status',
          'location_name',
          'location_address',
          'notes',
          'outcome',
          'visibility',
        ],
      },
      // Erased people are no longer named as met (the meeting stays).
      erase: async (manager: EntityManager, _tenantId: string, contactId: string) => {
        await manager.delete(MeetingContact, { contactId });
      },
    });
  }
}
