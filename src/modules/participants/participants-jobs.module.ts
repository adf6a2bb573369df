import { Module } from '@nestjs/common';
import { LinksModule } from '../../common/links/links.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TripsModule } from '../trips/trips.module.js';
import { PurgeTravelDocumentsJob } from './jobs/purge-travel-documents.job.js';
import { ParticipantsRepository } from './participants.repository.js';
import { DepartureReminderMessages } from './departure-reminder.messages.js';
import { StatusNoticeMessages } from './status-notice.messages.js';
import { TravelDocumentReminderMessages } from './travel-document-reminder.messages.js';
import { TravelDocumentsRepository } from './travel-documents.repository.js';
import { TripCounts } from './trip-counts.js';

/**
 * The worker side of participants: retention of their personal data, the
 * status notices they get (a kind of message), and the trip figures kept
 * as the purge changes them.
 */
@Module({
  imports: [TripsModule, NotificationsModule, LinksModule],
  providers: [
    PurgeTravelDocumentsJob,
    TravelDocumentsRepository,
    TripCounts,
    StatusNoticeMessages,
    DepartureReminderMessages,
    TravelDocumentReminderMessages,
    ParticipantsRepository,
  ],
})
export class ParticipantsJobsModule {}
