import { Module } from '@nestjs/common';
import { LinksModule } from '../../common/links/links.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { TripsModule } from '../trips/trips.module.js';
import { InvitationMessages } from './invitation.messages.js';

/** The worker side of invitations: their emails and reminders (a kind of message). */
@Module({
  imports: [TripsModule, NotificationsModule, LinksModule],
  providers: [InvitationMessages],
})
export class InvitationsJobsModule {}
