import { Module } from '@nestjs/common';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { LinksModule } from '../../common/links/links.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TripsModule } from '../trips/trips.module.js';
import { DelegationListController } from './delegation-list.controller.js';
import { DelegationList } from './delegation-list.js';
import { ParticipantsController } from './participants.controller.js';
import { ParticipantReads } from './participant-reads.js';
import { ParticipantsRepository } from './participants.repository.js';
import { ParticipantsService } from './participants.service.js';
import { PersonalDataController } from './personal-data.controller.js';
import { ParticipantsPersonalData } from './participants.personal-data.js';
import { PersonalDataService } from './personal-data.service.js';
import { TravelDocumentsController } from './travel-documents.controller.js';
import { TravelDocumentsService } from './travel-documents.service.js';
import { Seats } from './seats.js';
import { DepartureReminderMessages } from './departure-reminder.messages.js';
import { StatusNoticeMessages } from './status-notice.messages.js';
import { TravelDocumentReminderMessages } from './travel-document-reminder.messages.js';
import { TripCounts } from './trip-counts.js';

/**
 * The delegation list: registrations, their lifecycle, capacity and the
 * waitlist; travel documents; exports; and the personal-data rights of the
 * people on it.
 */
@Module({
  imports: [DirectoryModule, TripsModule, NotificationsModule, LinksModule],
  controllers: [
    DelegationListController,
    ParticipantsController,
    TravelDocumentsController,
    PersonalDataController,
  ],
  providers: [
    PiiCipher,
    ParticipantsRepository,
    ParticipantReads,
    ParticipantsService,
    TravelDocumentsService,
    DelegationList,
    PersonalDataService,
    ParticipantsPersonalData,
    TripCounts,
    Seats,
    StatusNoticeMessages,
    DepartureReminderMessages,
    TravelDocumentReminderMessages,
  ],
  exports: [ParticipantsService, TravelDocumentsService],
})
export class ParticipantsModule {}
