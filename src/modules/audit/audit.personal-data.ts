import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalData } from '../../common/personal-data/personal-data.js';
import { AuditService } from './audit.service.js';

/**
 * The trail keeps who did what; what a change said about a person (a
 * contact's old name or address) goes when the person is erased. Modules
 * forget their own records' changes (e.g. passports) in their erasure.
 */
@Injectable()
export class AuditPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalData,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'audit',
      personal: { audit_events: ['changes', 'ip'] },
      notPersonal: { audit_events: ['actor_type', 'action', 'entity_type', 'request_id'] },
      erase: (manager, tenantId, contactId) =>
        this.audit.forgetChanges(manager, tenantId, 'contact', [contactId]),
    });
  }
}
