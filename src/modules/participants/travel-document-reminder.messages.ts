import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
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
import { ParticipantsRepository, type TravelDocumentRecipient } from './participants.repository.js';
import { PARTICIPANT } from './participants.subjects.js';

const KIND = 'travel_document_reminder';
const WEEK = 7;

/** Participant changes that can make a passport missing or present. */
const PARTICIPANT_CAUSES = ['status', 'visaRequired'];

/**
 * Travel-document reminders (DESIGN §6): confirmed participants who need a
 * visa and have no passport on file (or one expiring too soon for the
 * trip) are reminded `travelDocumentReminderDays` (21) before the trip
 * starts and then weekly until it starts, at the agency's departure hour,
 * with their registration link to enter it.
 *
 * Planned in the transaction of each change that can make the passport
 * missing or there (the participant's status or visa need, their travel
 * document, the trip's dates or status, the agency's settings): as soon as
 * the document is there, the rest are cancelled. Not sent late.
 */
@Injectable()
@OwnsMessages()
export class TravelDocumentReminderMessages implements MessageKind, OnModuleInit {
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
      const document =
        change.action.startsWith('travel_document.') && change.action !== 'travel_document.read';
      const cause = PARTICIPANT_CAUSES.some((field) => change.changes?.[field]);
      if (!change.id || (!document && !cause)) return;
      const due = await this.participants.travelDocumentRecipients(manager, {
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
      const moved = change.changes?.startDate || change.changes?.endDate || change.changes?.status;
      if (change.id && moved) await this.planTrip(manager, change.tenantId, change.id);
    });
    this.changes.subscribe(TENANT, async (manager, change) => {
      const settings = change.changes;
      if (
        !settings?.travelDocumentReminderDays &&
        !settings?.departureReminderHour &&
        !settings?.passportValidityMarginMonths
      ) {
        return;
      }
      for (const tripId of await this.participants.tripsAhead(manager, change.tenantId)) {
        await this.planTrip(manager, change.tenantId, tripId);
      }
    });
  }

  private async planTrip(manager: EntityManager, tenantId: string, tripId: string): Promise<void> {
    const due = await this.participants.travelDocumentRecipients(manager, { tripId });
    await this.outbox.reconcile(manager, tenantId, { kind: KIND, tripId }, this.planned(due));
  }

  /** Each recipient's reminders still ahead: the first days before the start, then weekly. */
  private planned(recipients: TravelDocumentRecipient[]): NewMessage[] {
    const now = this.clock.now();
    return recipients.flatMap((recipient) => {
      const days: number[] = [];
      for (let day = recipient.firstDays; day > 0; day -= WEEK) days.push(day);
      return days
        .map((day) => ({
          day,
          dueAt: atHourOf(addDaysTo(recipient.startDate, -day), recipient.hour, recipient.timeZone),
        }))
        .filter(({ dueAt }) => dueAt > now)
        .map(({ day, dueAt }) => ({
          tenantId: recipient.tenantId,
          kind: KIND,
          recipient: { contactId: recipient.contactId },
          recipientEmail: recipient.email,
          tripId: recipient.tripId,
          subject: { type: PARTICIPANT.type, id: recipient.participantId },
          dedupeKey: `travel-document:${recipient.participantId}:${recipient.startDate}:${day}`,
          dueAt,
        }));
    });
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
    if (!(await this.participants.lacksTravelDocument(manager, message.subjectId!))) {
      return { stale: 'the travel document is on file now' };
    }
    const trip = await this.trips.messageFacts(manager, participant.tripId);
    if (!trip) return { stale: 'its trip no longer exists' };
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
        personalMessage: null,
        waitlistPosition: null,
      },
    };
  }
}
