import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { vtimezone } from '../../common/calendar/vtimezone.js';
import type { Meeting } from './entities/meeting.entity.js';
import type { MeetingStatus } from './programme.constants.js';

/** A meeting as a calendar shows it. */
export interface CalendarEntry {
  meeting: Meeting;
  timeZone: string;
  city: string;
  /** Organisations and people met, as names. */
  counterparts: string[];
}

const STATUS: Record<MeetingStatus, ICalEventStatus> = {
  planned: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  held: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
};

/**
 * An RFC 5545 calendar of meetings, each in its station's timezone (TZID,
 * with a VTIMEZONE from the IANA database for every zone used). A meeting's
 * UID never changes and its SEQUENCE rises with every change (its version),
 * so calendar programs update it in place; cancelled meetings stay, marked
 * CANCELLED, so subscribed calendars remove them.
 */
export function meetingsCalendar(name: string, entries: CalendarEntry[]): string {
  const calendar = ical({
    name,
    prodId: { company: 'Delegation Desk', product: 'Programme', language: 'EN' },
  });
  if (entries.length > 0) {
    const from = new Date(Math.min(...entries.map((entry) => entry.meeting.startsAt.getTime())));
    const to = new Date(Math.max(...entries.map((entry) => entry.meeting.endsAt.getTime())));
    calendar.timezone({ name: null, generator: (zone) => vtimezone(zone, from, to) });
  }
  for (const { meeting, timeZone, city, counterparts } of entries) {
    const place = [meeting.locationName, meeting.locationAddress, city].filter(Boolean).join(', ');
    calendar.createEvent({
      id: `${meeting.id}@delegation-desk`,
      sequence: meeting.version - 1,
      // In the station's zone: written as its wall-clock time with TZID.
      start: DateTime.fromJSDate(meeting.startsAt, { zone: timeZone }),
      end: DateTime.fromJSDate(meeting.endsAt, { zone: timeZone }),
      timezone: timeZone,
      summary: meeting.title,
      location: place,
      description: counterparts.length > 0 ? `With: ${counterparts.join('; ')}` : null,
      status: STATUS[meeting.status],
      stamp: meeting.updatedAt,
      created: meeting.createdAt,
      lastModified: meeting.updatedAt,
    });
  }
  return calendar.toString();
}

/**
 * Answers an iCalendar text with a weak ETag of its content (the same
 * programme, the same tag); a client whose `If-None-Match` holds it gets 304
 * (calendar programs poll their feeds).
 */
export function calendarReply(
  request: FastifyRequest,
  reply: FastifyReply,
  text: string,
  filename: string,
): string {
  const etag = `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  reply
    .header('Content-Type', 'text/calendar; charset=utf-8')
    .header('Content-Disposition', `inline; filename="${filename}"`)
    .header('ETag', etag);
  if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) {
    reply.status(304);
    return '';
  }
  return text;
}
