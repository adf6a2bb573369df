import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { itineraryFeedUrl } from '../../common/links/itinerary-feed.js';
import { PublicTokens } from '../../common/links/public-tokens.js';
import { AppConfig } from '../../config/app-config.js';
import { Changes, type RecordedChange } from '../audit/changes.js';
import type { Notification } from '../notifications/entities/notification.entity.js';
import {
  OwnsMessages,
  type Addressing,
  type Loaded,
  type MessageKind,
} from '../notifications/message-kinds.js';
import { STATUS_NOTICES, type NotificationKind } from '../notifications/notifications.constants.js';
import { Outbox } from '../notifications/outbox.js';
import { TripsRepository } from '../trips/trips.repository.js';
import { ParticipantsRepository } from './participants.repository.js';
import { PARTICIPANT } from './participants.subjects.js';

/** Messages about an end: true even when sent late. */
const FINAL_NOTICES: readonly NotificationKind[] = [
  'registration_rejected',
  'registration_cancelled',
];

/**
 * Participants hear by email of each status their registration reaches
 * (received, waitlisted, confirmed, rejected, cancelled), once per status:
 * written to the outbox in the transaction of the change (a subscriber of
 * the change seam). Someone staff or an integration put on the trip is told
 * by them; someone who registered through a link gets the acknowledgement
 * at once. When sent, a notice overtaken by a newer status is not sent.
 */
@Injectable()
@OwnsMessages()
export class StatusNoticeMessages implements MessageKind, OnModuleInit {
  readonly kinds = Object.values(STATUS_NOTICES);

  constructor(
    private readonly config: AppConfig,
    private readonly changes: Changes,
    private readonly outbox: Outbox,
    private readonly participants: ParticipantsRepository,
    private readonly trips: TripsRepository,
    private readonly tokens: PublicTokens,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(PARTICIPANT, async (manager, change) => {
      if (!change.id || !change.changes?.status) return;
      if (change.action === 'participant.created' && change.actor.type !== 'anonymous') return;
      await this.plan(manager, change.id, change);
    });
  }

  /**
   * The notice of the participant's current status, with the change's other
   * writes; people without an address, or erased, get none.
   */
  private async plan(
    manager: EntityManager,
    participantId: string,
    change: RecordedChange,
  ): Promise<void> {
    const recipient = await this.participants.messageFacts(manager, participantId, change);
    const kind = recipient && STATUS_NOTICES[recipient.status];
    if (!recipient?.email || !kind) return;
    await this.outbox.add(change.writes, [
      {
        tenantId: recipient.tenantId,
        kind,
        recipient: { contactId: recipient.contactId },
        recipientEmail: recipient.email,
        tripId: recipient.tripId,
        subject: { type: 'participant', id: participantId },
        // The lifecycle never returns to a status: one message per participant and status.
        dedupeKey: `participant:${participantId}:${recipient.status}`,
      },
    ]);
  }

  async load(
    manager: EntityManager,
    message: Notification,
    addressing: Addressing,
  ): Promise<Loaded> {
    const participant = await this.participants.noticeFacts(manager, message.subjectId!);
    if (!participant) return { stale: 'the registration no longer exists' };
    // A status message overtaken by a newer status (slow retries, the hourly cap) says
    // something no longer true; the newer status has its own message.
    if (
      !FINAL_NOTICES.includes(message.kind) &&
      STATUS_NOTICES[participant.status] !== message.kind
    ) {
      return { stale: `the registration is ${participant.status} now` };
    }
    const trip = await this.trips.messageFacts(manager, participant.tripId);
    if (!trip) return { stale: 'its trip no longer exists' };
    const token = this.tokens.sign('registration', message.subjectId!, participant.accessNonce);
    return {
      context: {
        ...addressing,
        kind: message.kind,
        trip,
        link: `${this.config.PUBLIC_BASE_URL}/registrations/${token}`,
        calendarFeed: itineraryFeedUrl(
          this.config.PUBLIC_BASE_URL,
          this.tokens.sign('itinerary', message.subjectId!, participant.accessNonce),
        ),
        personalMessage: null,
        waitlistPosition: participant.waitlistPosition,
      },
    };
  }
}
