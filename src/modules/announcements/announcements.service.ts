import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import type { Page, PageQueryDto } from '../../common/pagination/pagination.js';
import { NotFound, ValidationFailed, type FieldError } from '../../common/problem/domain-error.js';
import { auditActor } from '../audit/audit.service.js';
import { Changes } from '../audit/changes.js';
import type { Actor } from '../identity/access/actor.js';
import { LOCALES, type Locale } from '../identity/roles.js';
import { Outbox } from '../notifications/outbox.js';
import { TripsRepository } from '../trips/trips.repository.js';
import { AnnouncementRuleBroken } from './announcements.errors.js';
import { AnnouncementsRepository } from './announcements.repository.js';
import { ANNOUNCEMENT } from './announcements.subjects.js';
import type {
  AnnouncementDeliveryDto,
  AnnouncementDto,
  CreateAnnouncementDto,
} from './dto/announcement.dto.js';
import { Announcement, type Audience, type Texts } from './entities/announcement.entity.js';

/** A `sendAt` this little in the past is a clock's difference: sent now. */
const CLOCK_SKEW_MS = 5 * 60_000;

const NO_DELIVERY: AnnouncementDeliveryDto = { sent: 0, failed: 0, pending: 0, cancelled: 0 };

/**
 * Messages from staff to part of a trip's delegation: the audience is
 * resolved when the announcement is made (the answer says how many), one
 * message per person is written to the outbox in the same transaction, due
 * at `sendAt`, in the person's language where both are given. Until it goes
 * out, a message is not sent to someone who has left the audience's
 * statuses, and staff can withdraw what has not gone out.
 */
@Injectable()
export class AnnouncementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly announcements: AnnouncementsRepository,
    private readonly trips: TripsRepository,
    private readonly outbox: Outbox,
    private readonly changes: Changes,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, tripId: string, dto: CreateAnnouncementDto): Promise<AnnouncementDto> {
    const languages = languagesOf(dto);
    const now = this.clock.now();
    if (dto.sendAt && dto.sendAt.getTime() < now.getTime() - CLOCK_SKEW_MS) {
      throw new ValidationFailed([{ field: 'sendAt', message: 'must not be in the past' }]);
    }
    const audience: Audience = {
      statuses: dto.audience?.statuses ?? ['confirmed'],
      roles: dto.audience?.roles ?? null,
      categories: dto.audience?.categories ?? null,
      stationId: dto.audience?.stationId ?? null,
      participantIds: dto.audience?.participantIds ?? null,
    };
    const id = await this.dataSource.transaction(async (manager) => {
      if (!(await this.trips.findInTenant(actor.tenantId, tripId, manager))) {
        throw new NotFound('trip');
      }
      const errors: FieldError[] = [];
      if (
        audience.stationId &&
        !(await this.announcements.isStationOf(manager, tripId, audience.stationId))
      ) {
        errors.push({ field: 'audience.stationId', message: 'is not a station of this trip' });
      }
      const strangers = audience.participantIds
        ? await this.announcements.strangers(manager, tripId, audience.participantIds)
        : [];
      if (strangers.length > 0) {
        errors.push({
          field: 'audience.participantIds',
          message: `are not participants of this trip: ${strangers.join(', ')}`,
        });
      }
      if (errors.length > 0) throw new ValidationFailed(errors);
      const members = await this.announcements.audienceMembers(manager, tripId, audience);
      if (members.length === 0) throw new AnnouncementRuleBroken('announcement_without_recipients');
      const announcement = await manager.save(
        manager.create(Announcement, {
          tenantId: actor.tenantId,
          tripId,
          subject: textsOf(dto.subject, languages),
          body: textsOf(dto.body, languages),
          audience,
          sendAt: dto.sendAt && dto.sendAt > now ? dto.sendAt : now,
          recipientCount: members.length,
          createdBy: actor.kind === 'user' ? actor.id : null,
          withdrawnAt: null,
        }),
      );
      await this.outbox.add(
        manager,
        members.map((member) => ({
          tenantId: actor.tenantId,
          kind: 'announcement',
          recipient: { contactId: member.contactId },
          recipientEmail: member.email,
          tripId,
          subject: { type: ANNOUNCEMENT.type, id: announcement.id },
          dedupeKey: `announcement:${announcement.id}:${member.participantId}`,
          dueAt: announcement.sendAt,
          languages,
        })),
      );
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: ANNOUNCEMENT,
        id: announcement.id,
        action: 'announcement.created',
        changes: {
          subject: { before: null, after: announcement.subject },
          audience: { before: null, after: audience },
          sendAt: { before: null, after: announcement.sendAt.toISOString() },
          recipientCount: { before: null, after: members.length },
        },
      });
      return announcement.id;
    });
    return this.get(actor, tripId, id);
  }

  /** A page with each one's delivery; an unknown trip is 404: one statement. */
  async list(actor: Actor, tripId: string, query: PageQueryDto): Promise<Page<AnnouncementDto>> {
    const page = await this.announcements.page(actor.tenantId, tripId, query);
    return {
      items: page.items.map((item) => this.view(item, item.delivery)),
      nextCursor: page.nextCursor,
    };
  }

  /** One with its delivery: one statement. */
  async get(actor: Actor, tripId: string, id: string): Promise<AnnouncementDto> {
    const announcement = await this.announcements.find(actor.tenantId, tripId, id);
    if (!announcement) throw new NotFound('announcement');
    return this.view(announcement, announcement.delivery);
  }

  /** Stops the messages that have not gone out; those sent stay sent. */
  async withdraw(actor: Actor, tripId: string, id: string): Promise<AnnouncementDto> {
    await this.dataSource.transaction(async (manager) => {
      const announcement = await this.announcements.lock(manager, actor.tenantId, tripId, id);
      if (!announcement) throw new NotFound('announcement');
      if (announcement.withdrawnAt) return;
      const stopped = await this.outbox.cancel(manager, actor.tenantId, {
        subject: { type: ANNOUNCEMENT.type, id },
      });
      if (stopped.length === 0) throw new AnnouncementRuleBroken('announcement_sent');
      announcement.withdrawnAt = this.clock.now();
      await manager.save(announcement);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: ANNOUNCEMENT,
        id,
        action: 'announcement.withdrawn',
        changes: { messagesStopped: { before: null, after: stopped.length } },
      });
    });
    return this.get(actor, tripId, id);
  }

  private view(
    announcement: Announcement,
    delivery: AnnouncementDeliveryDto = NO_DELIVERY,
  ): AnnouncementDto {
    return {
      id: announcement.id,
      tripId: announcement.tripId,
      subject: announcement.subject,
      body: announcement.body,
      audience: announcement.audience,
      sendAt: announcement.sendAt,
      status: announcement.withdrawnAt
        ? 'withdrawn'
        : delivery.pending === 0
          ? 'sent'
          : announcement.sendAt > this.clock.now()
            ? 'scheduled'
            : 'sending',
      recipients: announcement.recipientCount,
      delivery,
      createdBy: announcement.createdBy,
      withdrawnAt: announcement.withdrawnAt,
      createdAt: announcement.createdAt,
      updatedAt: announcement.updatedAt,
      version: announcement.version,
    };
  }
}

/** The languages the announcement is written in: at least one, the same for subject and body. */
function languagesOf(dto: CreateAnnouncementDto): Locale[] {
  const given = (texts: Texts) => LOCALES.filter((locale) => texts[locale] !== undefined);
  const [subject, body] = [given(dto.subject), given(dto.body)];
  const errors: FieldError[] = [];
  if (subject.length === 0) errors.push({ field: 'subject', message: 'needs de or en' });
  if (body.length === 0) errors.push({ field: 'body', message: 'needs de or en' });
  for (const locale of LOCALES) {
    if (subject.includes(locale) !== body.includes(locale)) {
      errors.push({
        field: `${subject.includes(locale) ? 'body' : 'subject'}.${locale}`,
        message: 'is needed: subject and body must be given in the same languages',
      });
    }
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return subject;
}

function textsOf(texts: Texts, languages: Locale[]): Texts {
  return Object.fromEntries(languages.map((locale) => [locale, texts[locale]]));
}
