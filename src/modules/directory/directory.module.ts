import { Module } from '@nestjs/common';
import { ContactsController } from './contacts.controller.js';
import { ContactsRepository } from './contacts.repository.js';
import { ContactsService } from './contacts.service.js';
import { DirectoryPersonalData } from './directory.personal-data.js';
import { PartnerOrganisationsController } from './partner-organisations.controller.js';
import { PartnerOrganisationsRepository } from './partner-organisations.repository.js';
import { PartnerOrganisationsService } from './partner-organisations.service.js';

/** The agency's memory of who it works with: partner organisations and contacts. */
@Module({
  controllers: [PartnerOrganisationsController, ContactsController],
  providers: [
    PartnerOrganisationsRepository,
    PartnerOrganisationsService,
    ContactsRepository,
    ContactsService,
    DirectoryPersonalData,
  ],
  exports: [
    PartnerOrganisationsRepository,
    PartnerOrganisationsService,
    ContactsRepository,
    ContactsService,
  ],
})
export class DirectoryModule {}
