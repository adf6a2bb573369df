import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalData } from '../../common/personal-data/personal-data.js';

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
      // Erased people are no longer named as met (the meeting stays, with a new version).
      erase: async (manager: EntityManager, _tenantId: string, contactId: string) => {
        await manager.query(
          `WITH gone AS (DELETE FROM meeting_contacts WHERE contact_id = $1 RETURNING meeting_id)
           UPDATE meetings SET version = version + 1, updated_at = now()
            WHERE id IN (SELECT meeting_id FROM gone)`,
          [contactId],
        );
      },
    });
  }
}
