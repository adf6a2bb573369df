import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalData } from '../../common/personal-data/personal-data.js';

/**
 * Announcements are what staff wrote to a delegation and whom they chose
 * (by filters and participant ids); the people themselves are participants
 * and contacts, and each one's message is in the outbox.
 */
@Injectable()
export class AnnouncementsPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'announcements',
      personal: {},
      notPersonal: { announcements: ['subject', 'body', 'audience'] },
    });
  }
}
