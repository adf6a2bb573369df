import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalData } from '../../common/personal-data/personal-data.js';

/**
 * Webhooks hold no personal data: endpoints are an agency's systems;
 * payloads name resources by type, id and URL and list changed fields by
 * name (never their values); the log keeps the start of what a receiver
 * answered, the agency's own system.
 */
@Injectable()
export class WebhooksPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'webhooks',
      personal: {},
      notPersonal: {
        webhook_endpoints: [
          'url',
          'description',
          'event_types',
          'secret_key_id',
          'secret',
          'previous_secret_key_id',
          'previous_secret',
        ],
        webhook_deliveries: ['event_type', 'event_key', 'payload', 'status'],
        webhook_attempts: ['response_body', 'error'],
      },
    });
  }
}
