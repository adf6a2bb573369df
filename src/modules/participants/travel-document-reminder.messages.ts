import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedChange } from '../audit/changes.js';
import { OwnsMessages } from '../notifications/message-kinds.js';
import { CountdownReminders } from './countdown-reminders.js';
import type {
  CountdownRecipient,
  MessageFacts,
  TravelDocumentRecipient,
} from './participants.repository.js';

const WEEK = 7;

/** Participant changes that can make a passport missing or present. */
const PARTICIPANT_CAUSES = ['status', 'visaRequired'];

/** The first reminder the agency's days before the start, then weekly until it. */
function weekly({ firstDays, ...recipient }: TravelDocumentRecipient): CountdownRecipient {
  const days: number[] = [];
  for (let day = firstDays; day > 0; day -= WEEK) days.push(day);
  return { ...recipient, days };
}

/**
 * Travel-document reminders (DESIGN §6): confirmed participants who need a
 * visa and have no passport on file (or one expiring too soon for the
 * trip) are reminded `travelDocumentReminderDays` (21) before the trip
 * starts and then weekly until it starts, at the agency's departure hour,
 * with their registration link to enter it. Re-planned with each change
 * that can make the passport missing or there (the participant's status or
 * visa need, their travel document, the trip's dates or status, the
 * agency's settings): once the document is there, the rest are cancelled.
 */
@Injectable()
@OwnsMessages()
export class TravelDocumentReminderMessages extends CountdownReminders {
  readonly kinds = ['travel_document_reminder'] as const;
  protected readonly keyPrefix = 'travel-document';
  protected readonly tripFields = ['startDate', 'endDate', 'status'];
  protected readonly tenantFields = [
    'travelDocumentReminderDays',
    'departureReminderHour',
    'passportValidityMarginMonths',
  ];
  protected readonly withCalendarFeed = false;

  protected async recipients(
    manager: EntityManager,
    of: { participantId: string } | { tripId: string },
  ): Promise<CountdownRecipient[]> {
    return (await this.participants.travelDocumentRecipients(manager, of)).map(weekly);
  }

  protected recipientOf(facts: MessageFacts): CountdownRecipient | null {
    return facts.travelDocument && weekly(facts.travelDocument);
  }

  protected concerns(change: RecordedChange): boolean {
    const document =
      change.action.startsWith('travel_document.') && change.action !== 'travel_document.read';
    return document || PARTICIPANT_CAUSES.some((field) => change.changes?.[field]);
  }

  protected override async stillDue(
    manager: EntityManager,
    participantId: string,
  ): Promise<string | null> {
    return (await this.participants.lacksTravelDocument(manager, participantId))
      ? null
      : 'the travel document is on file now';
  }
}
