import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ApiText, ApiUuid } from '../../../common/openapi.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import type { LocalReading } from '../../../common/time.js';
import type { Notification } from '../entities/notification.entity.js';
import {
  NOTIFICATION_STATUSES,
  REMINDER_KINDS,
  type NotificationStatus,
  type ReminderKind,
} from '../notifications.constants.js';

export class ListRemindersQuery extends PageQueryDto {
  /** Only reminders of this kind. */
  @IsOptional()
  @IsIn(REMINDER_KINDS)
  kind?: ReminderKind;

  /** Only reminders in this status (`scheduled`: still to go out). */
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;
}

/** An instant as it reads in the agency's timezone. */
export class AgencyTimeDto {
  /** Wall-clock date-time there, e.g. `2024-02-29T10:00:00`. */
  @ApiText(19)
  dateTime: string;
  /** The agency's IANA timezone. */
  @ApiText(64)
  timeZone: string;
  /** Its offset from UTC at that instant, e.g. `+01:00`. */
  @ApiText(6)
  utcOffset: string;
}

/** A reminder planned or sent for a trip: what goes to whom, when. */
export class ReminderDto {
  @ApiUuid()
  id: string;
  kind: ReminderKind;
  /** What it reminds of, e.g. `{ "type": "meeting", "id": "…" }`. */
  @ApiProperty({
    type: 'object',
    properties: { type: { type: 'string' }, id: { type: 'string', format: 'uuid' } },
  })
  subject: { type: string; id: string };
  /** The contact it goes to (participants, invitees). */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contactId: string | null;
  @ApiText(320)
  recipientEmail: string;
  /** When it goes out (UTC). */
  dueAt: Date;
  /** The same instant in the agency's timezone. */
  dueAtAgency: AgencyTimeDto;
  status: NotificationStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: Date | null;
  /** Why it failed, or why it was not sent (e.g. the plan changed). */
  @ApiProperty({ type: String, nullable: true, maxLength: 2000 })
  lastError: string | null;

  static from(row: Notification, agency: LocalReading): ReminderDto {
    return {
      id: row.id,
      kind: row.kind as ReminderKind,
      // A reminder is always about something: an invitation, a meeting, a trip, a participant.
      subject: { type: row.subjectType!, id: row.subjectId! },
      contactId: row.contactId,
      recipientEmail: row.recipientEmail,
      dueAt: row.dueAt,
      dueAtAgency: {
        dateTime: agency.dateTime,
        timeZone: agency.timeZone,
        utcOffset: agency.utcOffset,
      },
      status: row.status,
      sentAt: row.sentAt,
      lastError: row.lastError,
    };
  }
}
