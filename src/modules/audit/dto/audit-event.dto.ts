import { IsInstant } from '../../../common/validation.js';
import { ApiProperty } from '@nestjs/swagger';
import { ApiUuid } from '../../../common/openapi.js';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination.js';
import { ACTOR_TYPES, type AuditEvent, type Changes } from '../entities/audit-event.entity.js';

export class ListAuditEventsQuery extends PageQueryDto {
  /** Only this action, e.g. `user.role_changed`. */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action must look like `user.role_changed`' })
  action?: string;

  /** Only events about this kind of record, e.g. `user`. */
  @IsOptional()
  @IsString()
  @MaxLength(50)
  entityType?: string;

  /** Only events about this record (its id). */
  @IsOptional()
  @IsUUID()
  entityId?: string;

  /** Only events by this user or API key. */
  @IsOptional()
  @IsUUID()
  actorId?: string;

  /** Only events at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  updatedSince?: Date;
}

export class AuditEventDto {
  @ApiUuid()
  id: string;
  /** When it happened. */
  at: Date;
  /** Who acted. */
  actorType: (typeof ACTOR_TYPES)[number];
  /** Id of the user or API key that acted; null for the system and anonymous callers. */
  @ApiUuid()
  actorId: string | null;
  /** `<entity>.<verb>`, e.g. `user.role_changed`, `auth.login_failed`. */
  action: string;
  entityType: string;
  @ApiUuid()
  entityId: string | null;
  /** Changed fields as `{ field: { before, after } }`; personal data is never included. */
  changes: Changes | null;
  /** X-Request-Id of the request that caused it. */
  @ApiProperty({ type: String, maxLength: 128 })
  requestId: string | null;
  ip: string | null;

  static from(event: AuditEvent): AuditEventDto {
    return {
      id: event.id,
      at: event.at,
      actorType: event.actorType,
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      changes: event.changes,
      requestId: event.requestId,
      ip: event.ip,
    };
  }
}
