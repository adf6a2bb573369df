import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { keysetPage, type Page } from '../../common/pagination/pagination.js';
import { NotFound } from '../../common/problem/domain-error.js';
import type { Actor } from '../identity/access/actor.js';
import type { ListNotificationsQuery } from './dto/notification.dto.js';
import type { ListRemindersQuery } from './dto/reminder.dto.js';
import { REMINDER_KINDS } from './notifications.constants.js';
import { NotificationsRepository } from './notifications.repository.js';
import { Notification } from './entities/notification.entity.js';

/** The delivery log: what was (or will be) sent to whom, and how it went. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsRepository,
  ) {}

  /** Newest first; served by (tenant_id, created_at, id), filters by their own indexes. */
  list(actor: Actor, query: ListNotificationsQuery): Promise<Page<Notification>> {
    const builder = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.tenant_id = :tenantId', { tenantId: actor.tenantId });
    if (query.status) builder.andWhere('n.status = :status', query);
    if (query.kind) builder.andWhere('n.kind = :kind', query);
    if (query.tripId) builder.andWhere('n.trip_id = :tripId', query);
    if (query.contactId) builder.andWhere('n.contact_id = :contactId', query);
    if (query.aboutType) builder.andWhere('n.subject_type = :aboutType', query);
    if (query.aboutId) builder.andWhere('n.subject_id = :aboutId', query);
    if (query.updatedSince) builder.andWhere('n.updated_at >= :updatedSince', query);
    return keysetPage(builder, {
      keys: [
        { column: 'n.created_at', property: 'createdAt' },
        { column: 'n.id', property: 'id' },
      ],
      direction: 'DESC',
      query,
    });
  }

  /**
   * A trip's reminders, planned and sent, by when they go out; served by
   * (trip_id, due_at, id). Each with the agency's timezone to read it in.
   */
  async reminders(
    actor: Actor,
    tripId: string,
    query: ListRemindersQuery,
  ): Promise<{ page: Page<Notification>; timeZone: string }> {
    const timeZone = await this.notifications.tripAgencyTimezone(actor.tenantId, tripId);
    if (!timeZone) throw new NotFound('trip');
    const builder = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.trip_id = :tripId AND n.tenant_id = :tenantId', {
        tripId,
        tenantId: actor.tenantId,
      })
      .andWhere('n.kind IN (:...kinds)', { kinds: query.kind ? [query.kind] : REMINDER_KINDS });
    if (query.status) builder.andWhere('n.status = :status', { status: query.status });
    const page = await keysetPage(builder, {
      keys: [
        { column: 'n.due_at', property: 'dueAt' },
        { column: 'n.id', property: 'id' },
      ],
      direction: 'ASC',
      query,
    });
    return { page, timeZone };
  }

  async get(actor: Actor, id: string): Promise<Notification> {
    const row = await this.dataSource
      .getRepository(Notification)
      .findOneBy({ tenantId: actor.tenantId, id });
    if (!row) throw new NotFound('notification');
    return row;
  }
}
