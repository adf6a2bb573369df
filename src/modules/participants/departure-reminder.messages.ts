import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { itineraryFeedUrl } from '../../common/links/itinerary-feed.js';
import { PublicTokens } from '../../common/links/public-tokens.js';
import { addDaysTo, atHourOf } from '../../common/time.js';
import { AppConfig } from '../../config/app-config.js';
import { Changes } from '../audit/changes.js';
import { TENANT } from '../identity/identity.subjects.js';
import type { Notification } from '../notifications/entities/notification.entity.js';
import {
  OwnsMessages,
  type Addressing,
  type Loaded,
  type MessageKind,
} from '../notifications/message-kinds.js';
import { Outbox, type NewMessage } from '../notifications/outbox.js';
import { TripsRepository } from '../trips/trips.repository.js';
import { TRIP } from '../trips/trips.subjects.js';
import { ParticipantsRepository, type DepartureRecipient } from './participants.repository.js';
import { PARTICIPANT } from './participants.subjects.js';

const KIND = 'departure_reminder';

/**
 * Departure reminders (DESIGN §6): confirmed participants hear of their
 * trip the agency's `departureReminderDays` (7 and 1) before it starts, at
 * `departureReminderHour` (09:00) in the agency's timezone, with the
 * stations, their registration link and their calendar feed.
 *
 * Planned in the transaction of each change that moves them: a participant
 * confirmed (or no longer), the trip's start moved or the trip cancelled,
 * the agency's settings changed. A reminder whose moment has passed is not
 * sent late. The key names the start date: a moved trip is new reminders.
 */
@Injectable()
@OwnsMessages()
export class DepartureReminderMessages implements MessageKind, OnModuleInit {
  readonly kinds = [KIND] as const;

  constructor(
    private readonly config: AppConfig,
    private readonly changes: Changes,
    private readonly outbox: Outbox,
    private readonly participants: ParticipantsRepository,
    private readonly trips: TripsRepository,
    private readonly tokens: PublicTokens,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(PARTICIPANT, async (manager, change) => {
      if (!change.id || !change.changes?.status) return;
      const due = await this.participants.departureRecipients(manager, {
        participantId: change.id,
      });
      await this.outbox.reconcile(
        manager,
        change.tenantId,
        { kind: KIND, subject: { type: PARTICIPANT.type, id: change.id } },
        this.planned(due),
      );
    });
    this.changes.subscribe(TRIP, async (manager, change) => {
      const moved = change.changes?.startDate || change.changes?.status;
      if (change.id && moved) await this.planTrip(manager, change.tenantId, change.id);
    });
    this.changes.subscribe(TENANT, async (manager, change) => {
      if (!change.changes?.departureReminderDays && !change.changes?.departureReminderHour) return;
      for (const tripId of await this.participants.tripsAhead(manager, change.tenantId)) {
        await this.planTrip(manager, change.tenantId, tripId);
      }
    });
  }

  private async planTrip(manager: EntityManager, tenantId: string, tripId: string): Promise<void> {
    const due = await this.participants.departureRecipients(manager, { tripId });
    await this.outbox.reconcile(manager, tenantId, { kind: KIND, tripId }, this.planned(due));
  }

  /** Each recipient's reminders still ahead: days before the start, at the agency's hour. */
  private planned(recipients: DepartureRecipient[]): NewMessage[] {
    const now = this.clock.now();
    return recipients.flatMap((recipient) =>
      recipient.days
        .map((days) => ({
          days,
          dueAt: atHourOf(
            addDaysTo(recipient.startDate, -days),
            recipient.hour,
            recipient.timeZone,
          ),
        }))
        .filter(({ dueAt }) => dueAt > now)
        .map(({ days, dueAt }) => ({
          tenantId: recipient.tenantId,
          kind: KIND,
          recipient: { contactId: recipient.contactId },
          recipientEmail: recipient.email,
          tripId: recipient.tripId,
          subject: { type: PARTICIPANT.type, id: recipient.participantId },
          dedupeKey: `departure:${recipient.participantId}:${recipient.startDate}:${days}`,
          dueAt,
        })),
    );
  }

  async load(
    manager: EntityManager,
    message: Notification,
    addressing: Addressing,
  ): Promise<Loaded> {
    const participant = await this.participants.noticeFacts(manager, message.subjectId!);
    if (!participant) return { stale: 'the registration no longer exists' };
    if (participant.status !== 'confirmed')
      return { stale: `the registration is ${participant.status}` };
    const trip = await this.trips.messageFacts(manager, participant.tripId);
    if (!trip) return { stale: 'its trip no longer exists' };
    if (trip.status === 'cancelled') return { stale: 'the trip was cancelled' };
    if (!message.dedupeKey.includes(`:${trip.startDate}:`)) {
      return { stale: 'the trip’s start moved; its new date has reminders of its own' };
    }
    const token = this.tokens.sign('registration', message.subjectId!, participant.accessNonce);
    return {
      context: {
        ...addressing,
        kind: KIND,
        trip,
        link: `${this.config.PUBLIC_BASE_URL}/registrations/${token}`,
        calendarFeed: itineraryFeedUrl(
          this.config.PUBLIC_BASE_URL,
          this.tokens.sign('itinerary', message.subjectId!, participant.accessNonce),
        ),
        personalMessage: null,
        waitlistPosition: null,
      },
    };
  }
}
