import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalData } from '../personal-data/personal-data.js';
import { IdempotencyService } from './idempotency.service.js';

/** Replies kept for Idempotency-Key replays (a day) may hold a person as they were. */
@Injectable()
export class IdempotencyPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalData,
    private readonly idempotency: IdempotencyService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'idempotency',
      personal: { idempotency_keys: ['response_body'] },
      notPersonal: { idempotency_keys: ['scope', 'key', 'request_hash'] },
      erase: (manager, _tenantId, contactId) =>
        this.idempotency.forgetRepliesMentioning(manager, contactId),
    });
  }
}
