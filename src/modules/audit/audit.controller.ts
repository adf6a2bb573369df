import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../common/openapi.js';
import { ApiPageResponse, type Page } from '../../common/pagination/pagination.js';
import { CurrentActor, type Actor } from '../identity/access/actor.js';
import { Requires } from '../identity/access/permissions.js';
import { AuditService } from './audit.service.js';
import { AuditEventDto, ListAuditEventsQuery } from './dto/audit-event.dto.js';

@ApiTags('audit')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * The audit trail of your agency, newest first.
   *
   * @remarks
   * Who did what and when: sign-ins (failed ones too), refresh-token reuse, sign-outs,
   * changes to staff, keys, the agency, the directory, trips, participants and invitations,
   * and every read or export of personal data. `changes` lists changed fields as
   * `{ before, after }`; personal values are redacted. Filter by `action` (e.g.
   * `user.role_changed`), `entityType`, `entityId`, `actorId` and `updatedSince`.
   * Cursor-paginated: pass `nextCursor` as `cursor`.
   */
  @Get()
  @Requires('audit:read')
  @ApiPageResponse(AuditEventDto)
  @ApiProblems(400)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListAuditEventsQuery,
  ): Promise<Page<AuditEventDto>> {
    const page = await this.audit.list(actor, query);
    return {
      items: page.items.map((event) => AuditEventDto.from(event)),
      nextCursor: page.nextCursor,
    };
  }
}
