import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  keysetPageSql,
  type KeysetOptions,
  type Page,
  type PageQueryDto,
} from '../../common/pagination/pagination.js';
import { inTrip } from '../trips/trip-reads.js';
import { selectColumns } from '../../database/select-columns.js';
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

/** An announcement with how its messages stand, as its answer shows it. */
export type AnnouncementRow = Announcement & { delivery: AnnouncementDeliveryDto };

/** How the messages of announcement `a` stand, as a column of its row (issue 21). */
const DELIVERY = `(SELECT json_build_object(
    'sent', count(*) FILTER (WHERE n.status = 'sent'),
    'failed', count(*) FILTER (WHERE n.status = 'failed'),
    'pending', count(*) FILTER (WHERE n.status IN ('scheduled', 'queued', 'sending')),
    'cancelled', count(*) FILTER (WHERE n.status = 'cancelled'))
   FROM notifications n
  WHERE n.tenant_id = a.tenant_id AND n.subject_type = 'announcement' AND n.subject_id = a.id)
  AS delivery`;

/** A trip's announcements, newest first; served by (trip_id, created_at, id). */
const ORDER: Pick<KeysetOptions<AnnouncementRow>, 'keys' | 'direction'> = {
  keys: [
    { column: 'a.created_at', property: 'createdAt' },
    { column: 'a.id', property: 'id' },
  ],
  direction: 'DESC',
};

/** Announcements, and what they read of the delegation and the outbox. */
@Injectable()
export class AnnouncementsRepository {
  /** An announcement row with its delivery, up to its WHERE (`announcements a`). */
  private readonly select: string;

  constructor(private readonly dataSource: DataSource) {
    this.select = `SELECT ${selectColumns(dataSource.getMetadata(Announcement), 'a')}, ${DELIVERY}
      FROM announcements a`;
  }

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

  /** An announcement with its delivery: one statement. */
  async find(tenantId: string, tripId: string, id: string): Promise<AnnouncementRow | null> {
    const [row] = await this.dataSource.query<AnnouncementRow[]>(
      `${this.select} WHERE a.tenant_id = $1 AND a.trip_id = $2 AND a.id = $3`,
      [tenantId, tripId, id],
    );
    return row ?? null;
  }

  lock(manager: EntityManager, tenantId: string, tripId: string, id: string) {
    return manager.findOne(Announcement, {
      where: { tenantId, tripId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * A trip's announcements, newest first, each with its delivery: one
   * statement, joined to the trip's row (an unknown trip is 404).
   */
  page(tenantId: string, tripId: string, query: PageQueryDto): Promise<Page<AnnouncementRow>> {
    return keysetPageSql<AnnouncementRow>(
      inTrip((sql, params) => this.dataSource.query<AnnouncementRow[]>(sql, params), ORDER),
      {
        select: this.select,
        where: ['a.tenant_id = $1', 'a.trip_id = $2'],
        params: [tenantId, tripId],
      },
      { ...ORDER, query },
    );
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
