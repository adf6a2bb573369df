import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblems, UuidParam } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { readIn } from '../../common/time.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { ListRemindersQuery, ReminderDto } from './dto/reminder.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@Controller('trips')
export class TripRemindersController {
  constructor(private readonly notifications: NotificationsService) {}

  /**
   * A trip's reminders: what will go out to whom, and when.
   *
   * @remarks
   * Planned (`scheduled`) and past reminders (invitation and meeting reminders), by when they
   * go out, each with that moment in UTC and in the agency's timezone. They follow the plan:
   * moving a meeting replaces its reminders (the old ones `cancelled`, "the plan changed"),
   * cancelling it or an attendee's participation cancels theirs. Filter by `kind` and
   * `status`. Cursor-paginated.
   */
  @Get(':id/reminders')
  @Requires('participants:read')
  @ApiPageResponse(ReminderDto)
  @ApiProblems(400, 404)
  async list(
    @CurrentActor() actor: Actor,
    @UuidParam('id', "The trip's id.") id: string,
    @Query() query: ListRemindersQuery,
  ): Promise<Page<ReminderDto>> {
    const { page, timeZone } = await this.notifications.reminders(actor, id, query);
    return {
      items: page.items.map((row) => ReminderDto.from(row, readIn(row.dueAt, timeZone))),
      nextCursor: page.nextCursor,
    };
  }
}
