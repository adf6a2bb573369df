import { Injectable, type OnModuleInit } from '@nestjs/common';
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
    });
  }
}
