import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { NotificationsPersonalData } from './notifications.personal-data.js';
import { Outbox } from './outbox.js';

/** The outbox every module writes messages into, and the delivery log staff read. */
@Module({
  controllers: [NotificationsController],
  providers: [Outbox, NotificationsService, NotificationsPersonalData],
  exports: [Outbox],
})
export class NotificationsModule {}
