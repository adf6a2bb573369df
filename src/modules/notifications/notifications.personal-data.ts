import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalData } from '../../common/personal-data/personal-data.js';
import { QueueName } from '../../queue/jobs.js';
import { Queues } from '../../queue/queues.js';
import { NotificationDto } from './dto/notification.dto.js';
import { Notification } from './entities/notification.entity.js';
import { Outbox } from './outbox.js';

/**
 * A message holds its recipient's address and what the mail server said
 * about it. Erasure cancels what is unsent and keeps kind, trip and dates.
 */
@Injectable()
export class NotificationsPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalData,
    private readonly outbox: Outbox,
    private readonly queues: Queues,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'notifications',
      personal: { notifications: ['recipient_email', 'last_error', 'provider_response'] },
      notPersonal: {
        notifications: [
          'kind',
          'locale',
          'dedupe_key',
          'status',
          'subject',
          'provider_message_id',
          'subject_type',
        ],
      },
      export: async (manager: EntityManager, tenantId: string, contactId: string) => ({
        messages: (
          await manager.find(Notification, {
            where: { tenantId, contactId },
            order: { createdAt: 'ASC', id: 'ASC' },
          })
        ).map((message) => NotificationDto.from(message)),
      }),
      erase: async (manager: EntityManager, tenantId: string, contactId: string) => {
        const messageIds = await this.outbox.eraseRecipient(manager, tenantId, contactId);
        // Queue jobs carry ids only; dropping them just saves the worker a look (it would skip
        // them), so the answer does not wait for Redis. Only a job of that one message has its
        // id (a batch's job is left; its claim skips the cancelled messages). A job a worker
        // holds stays.
        return () => {
          void this.queues
            .get(QueueName.Notifications)
            .then((queue) => Promise.allSettled(messageIds.map((id) => queue.remove(id))));
          return Promise.resolve();
        };
      },
    });
  }
}
