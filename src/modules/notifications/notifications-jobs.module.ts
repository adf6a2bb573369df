import { Module } from '@nestjs/common';
import { LinksModule } from '../../common/links/links.module.js';
import { MessageContexts } from './jobs/message-contexts.js';
import { Relay } from './jobs/relay.js';
import { SendNotificationJob } from './jobs/send-notification.job.js';
import { NotificationsRepository } from './notifications.repository.js';

/** The worker side of messages: the outbox relay, reminder planning and sending. */
@Module({
  imports: [LinksModule],
  providers: [Relay, SendNotificationJob, MessageContexts, NotificationsRepository],
})
export class NotificationsJobsModule {}
