import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedChange } from '../audit/changes.js';
import { OwnsMessages } from '../notifications/message-kinds.js';
import { CountdownReminders } from './countdown-reminders.js';
import type { CountdownRecipient, MessageFacts } from './participants.repository.js';

/**
 * Departure reminders (DESIGN §6): confirmed participants hear of their
 * trip the agency's `departureReminderDays` (7 and 1) before it starts, at
 * `departureReminderHour` (09:00) in the agency's timezone, with the
 * stations, their registration link and their calendar feed. Re-planned
 * when a participant is confirmed (or no longer), the trip's start moves or
 * its status changes, or the agency's settings change.
 */
@Injectable()
@OwnsMessages()
export class DepartureReminderMessages extends CountdownReminders {
  readonly kinds = ['departure_reminder'] as const;
  protected readonly keyPrefix = 'departure';
  protected readonly tripFields = ['startDate', 'status'];
  protected readonly tenantFields = ['departureReminderDays', 'departureReminderHour'];
  protected readonly withCalendarFeed = true;

  protected recipients(
    manager: EntityManager,
    of: { participantId: string } | { tripId: string },
  ): Promise<CountdownRecipient[]> {
    return this.participants.departureRecipients(manager, of);
  }

  protected recipientOf(facts: MessageFacts): CountdownRecipient | null {
    return facts.departure;
  }

  protected concerns(change: RecordedChange): boolean {
    return Boolean(change.changes?.status);
  }
}
