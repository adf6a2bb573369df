import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { NotificationsPersonalData } from './notifications.personal-data.js';
import { NotificationsRepository } from './notifications.repository.js';
import { Outbox } from './outbox.js';
import { TripRemindersController } from './trip-reminders.controller.js';

/** The outbox every module writes messages into, and the delivery log staff read. */
@Module({
  controllers: [NotificationsController, TripRemindersController],
  providers: [Outbox, NotificationsService, NotificationsPersonalData, NotificationsRepository],
  exports: [Outbox],
})
export class NotificationsModule {}
