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

  /** The delivery log, newest first: did they get it? */
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

  /** One message and its delivery. */
  @Get(':id')
  @Requires('participants:read')
  @ApiProblems(400, 404)
  async get(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<NotificationDto> {
    return NotificationDto.from(await this.notifications.get(actor, id));
  }
}
