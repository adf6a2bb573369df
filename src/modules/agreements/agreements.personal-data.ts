import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalData } from '../../common/personal-data/personal-data.js';

/**
 * Agreements describe the agency's business (what was signed with which
 * organisations); the people who signed are contacts, linked by id.
 */
@Injectable()
export class AgreementsPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'agreements',
      personal: {},
      notPersonal: {
        agreements: [
          'title',
          'kind',
          'category',
          'status',
          'summary',
          'signed_in_city',
          'signed_in_country',
          'document_url',
          'tags',
        ],
        follow_ups: ['title', 'notes'],
      },
      // Erased people no longer sign (the agreement stays, with a new version).
      erase: async (manager: EntityManager, _tenantId: string, contactId: string) => {
        await manager.query(
          `WITH gone AS (DELETE FROM agreement_signatories WHERE contact_id = $1 RETURNING agreement_id)
           UPDATE agreements SET version = version + 1, updated_at = now()
            WHERE id IN (SELECT agreement_id FROM gone)`,
          [contactId],
        );
      },
    });
  }
}
