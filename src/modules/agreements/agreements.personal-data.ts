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
          'party_names',
        ],
        follow_ups: ['title', 'notes'],
      },
      // What the person signed (or is to sign), and for whom.
      export: async (manager: EntityManager, tenantId: string, contactId: string) => ({
        agreementsSigned: await manager.query<object[]>(
          `SELECT a.id AS "agreementId", a.title, a.status, s.partner_organisation_id AS "organisationId",
                  a.signed_on::text AS "signedOn"
             FROM agreement_signatories s JOIN agreements a ON a.id = s.agreement_id
            WHERE a.tenant_id = $1 AND s.contact_id = $2
            ORDER BY a.listed_on DESC, a.created_at DESC, a.id`,
          [tenantId, contactId],
        ),
      }),
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
