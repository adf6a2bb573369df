import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { itineraryFeedUrl } from '../../common/links/itinerary-feed.js';
import { PublicTokens } from '../../common/links/public-tokens.js';
import { addDaysTo, atHourOf } from '../../common/time.js';
import { AppConfig } from '../../config/app-config.js';
import { Changes, type RecordedChange } from '../audit/changes.js';
import { TENANT } from '../identity/identity.subjects.js';
import type { Notification } from '../notifications/entities/notification.entity.js';
import type { Addressing, Loaded, MessageKind } from '../notifications/message-kinds.js';
import type { NotificationKind } from '../notifications/notifications.constants.js';
import { Outbox, type NewMessage } from '../notifications/outbox.js';
import { TripsRepository } from '../trips/trips.repository.js';
import { TRIP } from '../trips/trips.subjects.js';
import {
  ParticipantsRepository,
  type CountdownRecipient,
  type MessageFacts,
} from './participants.repository.js';
import { PARTICIPANT } from './participants.subjects.js';

/**
 * Reminders counting down to a trip's start, to its participants (departure,
 * missing travel document): each `days` before the start at the agency's
 * hour, planned in the transaction of every change that decides who gets
 * them (the participant, the trip, the agency's settings). The key names
 * the start date, so a moved trip is new reminders and the old ones are
 * cancelled; one whose moment has passed is not sent late. When sent, each
 * is read again: not sent to someone no longer confirmed, for a cancelled
 * trip, a moved start, or once `stillDue` says its cause is gone.
 */
@Injectable()
export abstract class CountdownReminders implements MessageKind, OnModuleInit {
  abstract readonly kinds: readonly [NotificationKind];
  /** The dedupe key's first part, e.g. `departure`. */
  protected abstract readonly keyPrefix: string;
  /** Trip fields whose change re-plans its participants' reminders. */
  protected abstract readonly tripFields: readonly string[];
  /** Agency settings whose change re-plans the reminders of its trips ahead. */
  protected abstract readonly tenantFields: readonly string[];
  /** Whether the message offers the participant's calendar feed. */
  protected abstract readonly withCalendarFeed: boolean;

  constructor(
    protected readonly config: AppConfig,
    protected readonly changes: Changes,
    protected readonly outbox: Outbox,
    protected readonly participants: ParticipantsRepository,
    protected readonly trips: TripsRepository,
    protected readonly tokens: PublicTokens,
    protected readonly clock: Clock,
  ) {}

  /** Who is to be reminded, of one participant or a whole trip (one query). */
  protected abstract recipients(
    manager: EntityManager,
    of: { participantId: string } | { tripId: string },
  ): Promise<CountdownRecipient[]>;

  /** Whether the participant of these facts is to be reminded (as whom), or not. */
  protected abstract recipientOf(facts: MessageFacts): CountdownRecipient | null;

  /** Whether a change of a participant can change who is reminded. */
  protected abstract concerns(change: RecordedChange): boolean;

  /** Why a reminder about to be sent is no longer worth it beyond the common reasons; null if it is. */
  protected stillDue(_manager: EntityManager, _participantId: string): Promise<string | null> {
    return Promise.resolve(null);
  }

  private get kind(): NotificationKind {
    return this.kinds[0];
  }

  onModuleInit(): void {
    this.changes.subscribe(PARTICIPANT, async (manager, change) => {
      if (!change.id || !this.concerns(change)) return;
      // Read once for the change's kinds of message; written with its other writes.
      const facts = await this.participants.messageFacts(manager, change.id, change);
      const recipient = facts && this.recipientOf(facts);
      await this.outbox.reconcile(
        change.writes,
        change.tenantId,
        { kind: this.kind, subject: { type: PARTICIPANT.type, id: change.id } },
        this.planned(recipient ? [recipient] : []),
      );
    });
    this.changes.subscribe(TRIP, async (manager, change) => {
      if (change.id && this.tripFields.some((field) => change.changes?.[field])) {
        await this.planTrip(manager, change.tenantId, change.id);
      }
    });
    this.changes.subscribe(TENANT, async (manager, change) => {
      if (!this.tenantFields.some((field) => change.changes?.[field])) return;
      for (const tripId of await this.participants.tripsAhead(manager, change.tenantId)) {
        await this.planTrip(manager, change.tenantId, tripId);
      }
    });
  }

  private async planTrip(manager: EntityManager, tenantId: string, tripId: string): Promise<void> {
    const due = await this.recipients(manager, { tripId });
    await this.outbox.reconcile(manager, tenantId, { kind: this.kind, tripId }, this.planned(due));
  }

  /** Each recipient's reminders still ahead. */
  private planned(recipients: CountdownRecipient[]): NewMessage[] {
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
          kind: this.kind,
          recipient: { contactId: recipient.contactId },
          recipientEmail: recipient.email,
          tripId: recipient.tripId,
          subject: { type: PARTICIPANT.type, id: recipient.participantId },
          dedupeKey: `${this.keyPrefix}:${recipient.participantId}:${recipient.startDate}:${days}`,
          dueAt,
        })),
    );
  }

  async load(
    manager: EntityManager,
    message: Notification,
    addressing: Addressing,
  ): Promise<Loaded> {
    const participantId = message.subjectId!;
    const participant = await this.participants.noticeFacts(manager, participantId);
    if (!participant) return { stale: 'the registration no longer exists' };
    if (participant.status !== 'confirmed') {
      return { stale: `the registration is ${participant.status}` };
    }
    const gone = await this.stillDue(manager, participantId);
    if (gone) return { stale: gone };
    const trip = await this.trips.messageFacts(manager, participant.tripId);
    if (!trip) return { stale: 'its trip no longer exists' };
    if (trip.status === 'cancelled') return { stale: 'the trip was cancelled' };
    if (!message.dedupeKey.includes(`:${trip.startDate}:`)) {
      return { stale: 'the trip’s start moved; its new date has reminders of its own' };
    }
    const sign = (purpose: 'registration' | 'itinerary') =>
      this.tokens.sign(purpose, participantId, participant.accessNonce);
    return {
      context: {
        ...addressing,
        kind: this.kind,
        trip,
        link: `${this.config.PUBLIC_BASE_URL}/registrations/${sign('registration')}`,
        calendarFeed: this.withCalendarFeed
          ? itineraryFeedUrl(this.config.PUBLIC_BASE_URL, sign('itinerary'))
          : null,
        personalMessage: null,
        waitlistPosition: null,
      },
    };
  }
}
