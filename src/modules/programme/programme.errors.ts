import { DomainError } from '../../common/problem/domain-error.js';
import type { MeetingStatus } from './programme.constants.js';

export class IllegalMeetingTransition extends DomainError {
  constructor(from: MeetingStatus, to: MeetingStatus, allowed: readonly MeetingStatus[]) {
    super(
      409,
      'illegal_transition',
      allowed.length > 0
        ? `A ${from} meeting cannot become ${to}; it can become: ${allowed.join(', ')}.`
        : `A ${from} meeting cannot change status any more.`,
      { from, to, allowedTransitions: [...allowed] },
    );
  }
}

export class MeetingHeld extends DomainError {
  constructor() {
    super(
      409,
      'meeting_held',
      'A held meeting is part of the trip’s record and cannot be deleted.',
    );
  }
}

/** The meeting an attendee is already booked for at that time. */
export interface ConflictingMeeting {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
}

export class AttendeeDoubleBooked extends DomainError {
  constructor(participantId: string, conflictingMeeting: ConflictingMeeting | null) {
    super(
      409,
      'attendee_double_booked',
      conflictingMeeting
        ? `Participant ${participantId} attends “${conflictingMeeting.title}” at that time already.`
        : `Participant ${participantId} attends another meeting at that time already.`,
      { participantId, conflictingMeeting },
    );
  }
}

/** A station's new dates or timezone would leave meetings on days the delegation is elsewhere. */
export class MeetingsOutsideStation extends DomainError {
  constructor(meetings: { id: string; title: string; date: string }[]) {
    super(
      409,
      'meetings_outside_station',
      `Meetings would fall outside the station's dates: ${meetings
        .map((meeting) => `“${meeting.title}” (${meeting.date})`)
        .join(', ')}. Move or cancel them first.`,
      { meetingIds: meetings.map((meeting) => meeting.id) },
    );
  }
}

/** A feed token that opens nothing: unknown, tampered, or its participation ended or erased. */
export class FeedNotFound extends DomainError {
  constructor() {
    super(404, 'not_found', 'This calendar link does not open anything (any more).');
  }
}

/** A partner organisation or contact still named as met in meetings. */
export class CounterpartInUse extends DomainError {
  constructor(what: string, meetings: { id: string; title: string }[]) {
    super(
      409,
      'in_use',
      `This ${what} cannot be deleted: meetings name it as met: ${meetings
        .map((meeting) => `“${meeting.title}”`)
        .join(', ')}.`,
      { meetingIds: meetings.map((meeting) => meeting.id) },
    );
  }
}
