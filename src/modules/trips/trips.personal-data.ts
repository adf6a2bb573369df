import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalData } from '../../common/personal-data/personal-data.js';

/** Trips and stations describe journeys, not people. */
@Injectable()
export class TripsPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'trips',
      personal: {},
      notPersonal: {
        trips: [
          'title',
          'kind',
          'status',
          'countries',
          'waitlist_policy',
          'registration_mode',
          'sectors',
          'lead_role',
          'description',
          'public_id',
        ],
        stations: ['city', 'country', 'timezone'],
      },
    });
  }
}
