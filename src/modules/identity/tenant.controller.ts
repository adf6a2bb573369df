import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/etag/etag.js';
import { ApiProblems } from '../../common/openapi.js';
import { CurrentActor, type Actor } from './access/actor.js';
import { Requires } from './access/permissions.js';
import {
  ReminderSettingsDto,
  TenantDto,
  UpdateReminderSettingsDto,
  UpdateTenantDto,
} from './dto/user.dto.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('auth')
@Controller('tenant')
export class TenantController {
  constructor(private readonly tenants: TenantsService) {}

  /**
   * Your agency and its settings.
   *
   * @remarks
   * Name, URL-friendly `slug`, default language, timezone, how long travel documents are
   * kept after a trip and the passport validity margin. Its `ETag` serves `If-Match` on
   * `PATCH /tenant`. Only staff signed in with an access token (API keys: 403).
   */
  @Get()
  @Requires('self')
  async get(@CurrentActor() actor: Actor): Promise<TenantDto> {
    return TenantDto.from(await this.tenants.get(actor));
  }

  /**
   * Change the agency's name, language, timezone, travel-document retention or passport margin.
   *
   * @remarks
   * Send only the fields to change. The timezone (IANA, e.g. `Europe/Berlin`) decides when
   * registration deadlines and retention days fall; the language is used for messages to
   * people who chose none. `travelDocumentRetentionDays` (0–3650): passports are deleted
   * that many days after their trip ends. `passportValidityMarginMonths` (0–24): passports
   * expiring less than that long after a trip's end are flagged. The slug does not change.
   * 412 on a stale `If-Match`. Audited with what changed.
   */
  @Patch()
  @Requires('tenant:manage')
  @ApiProblems(400, 412)
  async update(
    @CurrentActor() actor: Actor,
    @Body() dto: UpdateTenantDto,
    @IfMatch() version?: number,
  ): Promise<TenantDto> {
    return TenantDto.from(await this.tenants.update(actor, dto, version));
  }

  /**
   * When reminders go out: the agency's reminder settings.
   *
   * @remarks
   * `meetingReminderHours` (1–168, default 24) before a meeting; `departureReminderDays`
   * (up to three different days, each 1–60, default `[7, 1]`; `[]` sends none) before a trip
   * starts, at `departureReminderHour` (0–23, default 9) in the agency's timezone;
   * `travelDocumentReminderDays` (1–90, default 21) before the start, then weekly;
   * `followUpReminderHour` (0–23, default 8) on a follow-up's due day and `followUpOverdueDays`
   * (1–90, default 7) later if still open. Also part of `GET /tenant`, with the same `ETag`.
   */
  @Get('settings')
  @Requires('self')
  async settings(@CurrentActor() actor: Actor): Promise<ReminderSettingsDto> {
    return ReminderSettingsDto.of(await this.tenants.get(actor));
  }

  /**
   * Change when reminders go out.
   *
   * @remarks
   * Send only the settings to change (see `GET /tenant/settings`). What is planned ahead follows
   * at once: another hour or number of hours moves the planned reminders, other days replace
   * them. 412 on a stale `If-Match`. Audited with what changed.
   */
  @Patch('settings')
  @Requires('tenant:manage')
  @ApiProblems(400, 412)
  async updateSettings(
    @CurrentActor() actor: Actor,
    @Body() dto: UpdateReminderSettingsDto,
    @IfMatch() version?: number,
  ): Promise<ReminderSettingsDto> {
    return ReminderSettingsDto.of(await this.tenants.update(actor, dto, version));
  }
}
