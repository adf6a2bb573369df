import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { ListNotificationsQuery, NotificationDto } from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /**
   * The delivery log, newest first: did they get it?
   *
   * @remarks
   * Every email of the agency: invitations, reminders and status messages, with where each
   * stands (`scheduled` → `queued` → `sending` → `sent` or `failed`, or `cancelled` with the
   * reason when its cause no longer held), attempts, the last error and the mail server's
   * answer. Filter by `status`, `kind`, `tripId`, `contactId` and `updatedSince`.
   * Cursor-paginated: pass `nextCursor` as `cursor`.
   */
  @Get()
  @Requires('participants:read')
  @ApiPageResponse(NotificationDto)
  @ApiProblems(400)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListNotificationsQuery,
  ): Promise<Page<NotificationDto>> {
    const page = await this.notifications.list(actor, query);
    return {
      items: page.items.map((row) => NotificationDto.from(row)),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * One message and its delivery.
   *
   * @remarks
   * Its recipient, subject (once sent), status, attempts, when it was due and sent, the
   * provider's message id and reply, or why it failed or was not sent.
   */
  @Get(':id')
  @Requires('participants:read')
  @ApiProblems(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @UuidParam('id', "The message's id.") id: string,
  ): Promise<NotificationDto> {
    return NotificationDto.from(await this.notifications.get(actor, id));
  }
}
