import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalData } from '../../common/personal-data/personal-data.js';

/**
 * Staff are people too: their names, addresses and password hashes are
 * personal (they are not contacts, so the contact rights do not cover
 * them: an agency deactivates staff). Agencies, keys and sessions are not.
 */
@Injectable()
export class IdentityPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'identity',
      personal: { users: ['name', 'email', 'password_hash'] },
      notPersonal: {
        users: ['role', 'locale'],
        tenants: [
          'name',
          'slug',
          'default_locale',
          'timezone',
          'departure_reminder_days',
          'logo_url',
          'accent_color',
          'privacy_notice',
        ],
        api_keys: ['name', 'prefix', 'scopes', 'secret_hash'],
        sessions: ['revoked_reason'],
        refresh_tokens: ['token_hash'],
      },
    });
  }
}
