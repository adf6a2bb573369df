import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches, ValidateIf } from 'class-validator';
import { ApiInteger, ApiText, ApiUuid } from '../../../common/openapi.js';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import { IsInstant } from '../../../common/validation.js';
import type { Locale } from '../../identity/roles.js';
import type { Notification } from '../entities/notification.entity.js';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
  type NotificationKind,
  type NotificationStatus,
} from '../notifications.constants.js';

/** A record type as messages name what they are about (`about.type`). */
const ABOUT_TYPE = /^[a-z][a-z_]{0,39}$/;

export class ListNotificationsQuery extends PageQueryDto {
  /** Only messages in this status. */
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  /** Only messages of this kind. */
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  kind?: NotificationKind;

  /** Only messages about this trip. */
  @IsOptional()
  @IsUUID()
  tripId?: string;

  /** Only messages to this contact. */
  @IsOptional()
  @IsUUID()
  contactId?: string;

  /**
   * Only messages about records of this type (`about.type`: `announcement`, `meeting`,
   * `participant`, `invitation`, `follow_up`); needed with `aboutId`.
   */
  @ApiPropertyOptional({ pattern: ABOUT_TYPE.source, maxLength: 40 })
  @ValidateIf(
    (query: ListNotificationsQuery) => query.aboutId !== undefined || query.aboutType !== undefined,
  )
  @Matches(ABOUT_TYPE, {
    message: 'aboutType must be a record type such as announcement (and is needed with aboutId)',
  })
  aboutType?: string;

  /** Only messages about this record, e.g. one announcement's messages (with `aboutType`). */
  @IsOptional()
  @IsUUID()
  aboutId?: string;

  /** Only messages changed at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

/** One message in the delivery log. */
export class NotificationDto {
  @ApiUuid()
  id: string;
  kind: NotificationKind;
  /** Where it stands: `scheduled` → `queued` → `sending` → `sent` | `failed`, or `cancelled`. */
  status: NotificationStatus;
  /** The language it is (was) written in. */
  locale: Locale;
  /** `[erased]` once the person's data was erased. */
  @ApiText(320)
  recipientEmail: string;
  /** The contact it goes to (invitees, participants). */
  @ApiUuid()
  contactId: string | null;
  /** The staff member it goes to (e.g. a follow-up's owner). */
  @ApiUuid()
  userId: string | null;
  @ApiUuid()
  tripId: string | null;
  /** What it is about, e.g. `{ "type": "meeting", "id": "…" }` (`follow_up`, `participant`, …). */
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { type: { type: 'string' }, id: { type: 'string', format: 'uuid' } },
  })
  about: { type: string; id: string } | null;
  @ApiUuid()
  invitationId: string | null;
  @ApiUuid()
  participantId: string | null;
  /** When it is (was) due to go out. */
  dueAt: Date;
  @ApiInteger()
  attempts: number;
  /** The subject line as sent; null until sent. */
  @ApiText(500)
  subject: string | null;
  sentAt: Date | null;
  /** Message-ID of the sent email. */
  @ApiText(500)
  providerMessageId: string | null;
  /** The SMTP server's reply when it accepted the message. */
  providerResponse: string | null;
  /** Why the last attempt failed (or why it was not sent). */
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Sent as the ETag. */
  @ApiInteger()
  version: number;

  static from(row: Notification): NotificationDto {
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      locale: row.locale,
      recipientEmail: row.recipientEmail,
      contactId: row.contactId,
      userId: row.userId,
      tripId: row.tripId,
      about: row.subjectType && row.subjectId ? { type: row.subjectType, id: row.subjectId } : null,
      invitationId: row.subjectType === 'invitation' ? row.subjectId : null,
      participantId: row.subjectType === 'participant' ? row.subjectId : null,
      dueAt: row.dueAt,
      attempts: row.attempts,
      subject: row.subject,
      sentAt: row.sentAt,
      providerMessageId: row.providerMessageId,
      providerResponse: row.providerResponse,
      lastError: row.lastError,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      version: row.version,
    };
  }
}
