import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Notification } from '../notifications/entities/notification.entity.js';
import {
  OwnsMessages,
  type Addressing,
  type Loaded,
  type MessageKind,
} from '../notifications/message-kinds.js';
import { TripsRepository } from '../trips/trips.repository.js';
import { AnnouncementsRepository } from './announcements.repository.js';

/**
 * Announcements (issue 17): staff's own words, in the recipient's language
 * where both are given (the outbox chose it when the message was written).
 * Read again when sent: a withdrawn announcement, or a recipient whose
 * registration left the chosen statuses meanwhile, gets nothing.
 */
@Injectable()
@OwnsMessages()
export class AnnouncementMessages implements MessageKind {
  readonly kinds = ['announcement'] as const;

  constructor(
    private readonly announcements: AnnouncementsRepository,
    private readonly trips: TripsRepository,
  ) {}

  async load(
    manager: EntityManager,
    message: Notification,
    addressing: Addressing,
  ): Promise<Loaded> {
    const facts = await this.announcements.messageFacts(
      manager,
      message.subjectId!,
      message.contactId!,
    );
    if (!facts) return { stale: 'the announcement no longer exists' };
    const { announcement, participantStatus } = facts;
    if (announcement.withdrawnAt) return { stale: 'the announcement was withdrawn' };
    if (!participantStatus) return { stale: 'the recipient is no longer on the trip' };
    if (!(announcement.audience.statuses as string[]).includes(participantStatus)) {
      return { stale: `the recipient left the audience (registration ${participantStatus})` };
    }
    const trip = await this.trips.messageFacts(manager, announcement.tripId);
    if (!trip) return { stale: 'its trip no longer exists' };
    const locale = addressing.locale;
    const [subject, body] = [announcement.subject, announcement.body].map(
      (texts) => texts[locale] ?? Object.values(texts)[0] ?? '',
    );
    return {
      context: {
        ...addressing,
        kind: 'announcement',
        trip,
        link: '',
        personalMessage: null,
        waitlistPosition: null,
        announcement: { subject: subject, body: body },
      },
    };
  }
}
