import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { itineraryFeedUrl } from '../../common/links/itinerary-feed.js';
import { PublicTokens } from '../../common/links/public-tokens.js';
import { AppConfig } from '../../config/app-config.js';
import { Changes, type RecordedChange } from '../audit/changes.js';
import { TENANT } from '../identity/identity.subjects.js';
import type { Notification } from '../notifications/entities/notification.entity.js';
import {
  OwnsMessages,
  type Addressing,
  type Loaded,
  type MessageKind,
} from '../notifications/message-kinds.js';
import { Outbox, type NewMessage } from '../notifications/outbox.js';
import { PARTICIPANT } from '../participants/participants.subjects.js';
import { TripsRepository } from '../trips/trips.repository.js';
import { meetingsCalendar } from './calendar.js';
import { ProgrammeRepository, type MeetingReminder } from './programme.repository.js';
import { MEETING } from './programme.subjects.js';

const KIND = 'meeting_reminder';

/** The key names the meeting, the participant and the start: a moved meeting is a new reminder. */
const keyOf = (reminder: Pick<MeetingReminder, 'meetingId' | 'participantId' | 'startsAt'>) =>
  `meeting-reminder:${reminder.meetingId}:${reminder.participantId}:${reminder.startsAt.toISOString()}`;

const message = (reminder: MeetingReminder): NewMessage => ({
  tenantId: reminder.tenantId,
  kind: KIND,
  recipient: { contactId: reminder.contactId },
  recipientEmail: reminder.email,
  tripId: reminder.tripId,
  subject: { type: MEETING.type, id: reminder.meetingId },
  dedupeKey: keyOf(reminder),
  dueAt: reminder.dueAt,
});

/** The trip and contact of the participant a change names in its facts (a new participant's do). */
function namedParticipant(change: RecordedChange): { tripId: string; contactId: string } | null {
  const { tripId, contactId } = (change.facts ?? {}) as Partial<
    Record<'tripId' | 'contactId', string>
  >;
  return tripId && contactId ? { tripId, contactId } : null;
}

/**
 * Reminders of meetings (DESIGN §6): each attendee, and for meetings shown
 * to the delegation every confirmed participant, hears of a meeting the
 * agency's `meetingReminderHours` (24) before it starts, in the station's
 * local time with its zone named, with the meeting as a calendar file.
 *
 * They follow the plan in the transaction of each change (the change
 * seam): a meeting created, moved, cancelled, deleted or given other
 * attendees, and a participant whose status changes, re-plan the reminders
 * concerned. Moving a meeting makes a new reminder (its key names the
 * start) and cancels the old one; one whose moment has passed goes out at
 * once while the meeting is still ahead, never for a meeting that began.
 */
@Injectable()
@OwnsMessages()
export class MeetingReminderMessages implements MessageKind, OnModuleInit {
  readonly kinds = [KIND] as const;

  constructor(
    private readonly config: AppConfig,
    private readonly changes: Changes,
    private readonly outbox: Outbox,
    private readonly meetings: ProgrammeRepository,
    private readonly trips: TripsRepository,
    private readonly tokens: PublicTokens,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(MEETING, async (manager, change) => {
      if (change.id) await this.planMeeting(manager, change.tenantId, change.id);
    });
    this.changes.subscribe(PARTICIPANT, async (manager, change) => {
      if (change.id && change.changes?.status) await this.planParticipant(manager, change);
    });
    // Another number of hours ahead: every meeting ahead is reminded of at its new moment.
    this.changes.subscribe(TENANT, async (manager, change) => {
      if (!change.changes?.meetingReminderHours) return;
      const due = await this.meetings.meetingReminders(
        manager,
        { tenantId: change.tenantId },
        this.clock.now(),
      );
      await this.outbox.reconcile(manager, change.tenantId, { kind: KIND }, due.map(message));
    });
  }

  private async planMeeting(
    manager: EntityManager,
    tenantId: string,
    meetingId: string,
  ): Promise<void> {
    const due = await this.meetings.meetingReminders(
      manager,
      { meetingIds: [meetingId] },
      this.clock.now(),
    );
    await this.outbox.reconcile(
      manager,
      tenantId,
      { kind: KIND, subject: { type: MEETING.type, id: meetingId } },
      due.map(message),
    );
  }

  /** A participant's reminders, written with the change's other writes. */
  private async planParticipant(manager: EntityManager, change: RecordedChange): Promise<void> {
    const participantId = change.id!;
    const due = await this.meetings.meetingReminders(manager, { participantId }, this.clock.now());
    // Their trip and contact: named by the change (a new participant), by their reminders, or read.
    const participant =
      namedParticipant(change) ??
      due[0] ??
      (await this.meetings.participantOfReminders(manager, participantId));
    if (!participant) return;
    await this.outbox.reconcile(
      change.writes,
      change.tenantId,
      { kind: KIND, tripId: participant.tripId, contactId: participant.contactId },
      due.map(message),
    );
  }

  async load(
    manager: EntityManager,
    notification: Notification,
    addressing: Addressing,
  ): Promise<Loaded> {
    if (!notification.subjectId || !notification.tripId || !notification.contactId) {
      return { stale: 'it names no meeting' };
    }
    const facts = await this.meetings.reminderFacts(
      manager,
      notification.subjectId,
      notification.tripId,
      notification.contactId,
    );
    if (!facts) return { stale: 'the meeting is gone' };
    const { meeting } = facts;
    if (meeting.status === 'cancelled') return { stale: 'the meeting was cancelled' };
    if (!facts.stillAttends) return { stale: 'the recipient no longer attends the meeting' };
    if (!notification.dedupeKey.endsWith(`:${meeting.startsAt.toISOString()}`)) {
      return { stale: 'the meeting moved; its new time has a reminder of its own' };
    }
    if (meeting.startsAt <= new Date()) return { stale: 'the meeting has begun' };
    const trip = await this.trips.messageFacts(manager, notification.tripId);
    if (!trip) return { stale: 'its trip no longer exists' };
    const counterparts = (await this.meetings.counterpartNames(manager, [meeting.id])).get(
      meeting.id,
    );
    const entry = {
      meeting,
      timeZone: facts.timeZone,
      city: facts.city,
      counterparts: counterparts ?? [],
    };
    return {
      context: {
        ...addressing,
        kind: KIND,
        trip,
        link: '',
        calendarFeed:
          facts.participantId && facts.accessNonce
            ? itineraryFeedUrl(
                this.config.PUBLIC_BASE_URL,
                this.tokens.sign('itinerary', facts.participantId, facts.accessNonce),
              )
            : null,
        personalMessage: null,
        waitlistPosition: null,
        meeting: {
          title: meeting.title,
          startsAt: meeting.startsAt,
          endsAt: meeting.endsAt,
          timeZone: facts.timeZone,
          city: facts.city,
          location:
            [meeting.locationName, meeting.locationAddress].filter(Boolean).join(', ') || null,
          counterparts: entry.counterparts,
        },
      },
      // The same event as in the feeds (UID and SEQUENCE), so calendars update one entry.
      attachments: [
        {
          filename: 'meeting.ics',
          content: meetingsCalendar(trip.title, [entry]),
          contentType: 'text/calendar; charset=utf-8',
        },
      ],
    };
  }
}
