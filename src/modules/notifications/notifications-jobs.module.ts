import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MessagePlanner } from './jobs/message-planner.js';
import { Relay } from './jobs/relay.js';
import { SendNotificationJob } from './jobs/send-notification.job.js';
import { MessageKinds } from './message-kinds.js';
import { NotificationsRepository } from './notifications.repository.js';

/**
 * The worker side of messages: the outbox relay, planning of what has come
 * due, and sending. The kinds of message are owned by their modules' jobs
 * modules (e.g. InvitationsJobsModule), found here at start-up.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [Relay, MessagePlanner, SendNotificationJob, MessageKinds, NotificationsRepository],
})
export class NotificationsJobsModule {}
