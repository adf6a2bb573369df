import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page, type PageQueryDto } from '../../common/pagination/pagination.js';
import type { AnnouncementDeliveryDto } from './dto/announcement.dto.js';
import { Announcement, type Audience } from './entities/announcement.entity.js';

/** One person an announcement is written to. */
export interface AudienceMember {
  participantId: string;
  contactId: string;
  email: string;
}

/** What an announcement's message says to one recipient, read when it is sent. */
export interface AnnouncementMessageFacts {
  announcement: Announcement;
  /** The recipient's registration on the trip; null once gone. */
  participantStatus: string | null;
}

/** Announcements, and what they read of the delegation and the outbox. */
@Injectable()
export class AnnouncementsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The trip's participants in `audience` who can be written to (an
   * address, not erased), in one statement.
   */
  audienceMembers(
    manager: EntityManager,
    tripId: string,
    audience: Audience,
  ): Promise<AudienceMember[]> {
    return manager.query<AudienceMember[]>(
      `SELECT p.id AS "participantId", c.id AS "contactId", c.email::text AS email
         FROM participants p
         JOIN contacts c ON c.id = p.contact_id
        WHERE p.trip_id = $1 AND p.status = ANY($2::text[])
          AND ($3::text[] IS NULL OR p.role = ANY($3::text[]))
          AND ($4::text[] IS NULL OR p.category = ANY($4::text[]))
          AND ($5::uuid[] IS NULL OR p.id = ANY($5::uuid[]))
          AND ($6::uuid IS NULL OR EXISTS (
                SELECT 1 FROM meeting_attendees ma JOIN meetings m ON m.id = ma.meeting_id
                 WHERE ma.participant_id = p.id AND ma.active AND m.station_id = $6))
          AND c.email IS NOT NULL AND c.erased_at IS NULL
        ORDER BY p.id`,
      [
        tripId,
        audience.statuses,
        audience.roles,
        audience.categories,
        audience.participantIds,
        audience.stationId,
      ],
    );
  }

  /** Those of `ids` that are no participants of the trip. */
  async strangers(manager: EntityManager, tripId: string, ids: string[]): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT named.id FROM unnest($2::uuid[]) AS named(id)
        WHERE NOT EXISTS (SELECT 1 FROM participants p WHERE p.id = named.id AND p.trip_id = $1)`,
      [tripId, ids],
    );
    return rows.map((row) => row.id);
  }

  async isStationOf(manager: EntityManager, tripId: string, stationId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM stations WHERE id = $1 AND trip_id = $2`,
      [stationId, tripId],
    );
    return rows.length > 0;
  }

  find(tenantId: string, tripId: string, id: string, manager = this.dataSource.manager) {
    return manager.findOneBy(Announcement, { tenantId, tripId, id });
  }

  lock(manager: EntityManager, tenantId: string, tripId: string, id: string) {
    return manager.findOne(Announcement, {
      where: { tenantId, tripId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** A trip's announcements, newest first. */
  page(tenantId: string, tripId: string, query: PageQueryDto): Promise<Page<Announcement>> {
    const builder = this.dataSource
      .getRepository(Announcement)
      .createQueryBuilder('a')
      .where('a.tenant_id = :tenantId AND a.trip_id = :tripId', { tenantId, tripId });
    return keysetPage(builder, {
      keys: [
        { column: 'a.created_at', property: 'createdAt' },
        { column: 'a.id', property: 'id' },
      ],
      direction: 'DESC',
      query,
    });
  }

  /** How the messages of each of `ids` stand, in one statement over the outbox. */
  async deliveries(tenantId: string, ids: string[]): Promise<Map<string, AnnouncementDeliveryDto>> {
    const rows = await this.dataSource.query<({ id: string } & AnnouncementDeliveryDto)[]>(
      `SELECT subject_id AS id,
              count(*) FILTER (WHERE status = 'sent')::int AS sent,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status IN ('scheduled', 'queued', 'sending'))::int AS pending,
              count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
         FROM notifications
        WHERE tenant_id = $1 AND subject_type = 'announcement' AND subject_id = ANY($2::uuid[])
        GROUP BY subject_id`,
      [tenantId, ids],
    );
    return new Map(rows.map(({ id, ...delivery }) => [id, delivery]));
  }

  /** The announcement and the recipient's registration on its trip. */
  async messageFacts(
    manager: EntityManager,
    id: string,
    contactId: string,
  ): Promise<AnnouncementMessageFacts | null> {
    const announcement = await manager.findOneBy(Announcement, { id });
    if (!announcement) return null;
    const [participant] = await manager.query<{ status: string }[]>(
      `SELECT status FROM participants WHERE trip_id = $1 AND contact_id = $2`,
      [announcement.tripId, contactId],
    );
    return { announcement, participantStatus: participant?.status ?? null };
  }
}
