import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Notice } from '../../common/notice.dto.js';
import { Changes, type RecordedChange } from '../audit/changes.js';
import type { Changes as FieldChanges } from '../audit/entities/audit-event.entity.js';
import { PARTICIPANT } from '../participants/participants.subjects.js';
import { CONTACT, PARTNER_ORGANISATION } from '../directory/directory.subjects.js';
import { STATION } from '../trips/trips.subjects.js';
import { CounterpartInUse, MeetingsOutsideStation } from './programme.errors.js';
import { ProgrammeRepository } from './programme.repository.js';
import { MEETING } from './programme.subjects.js';

/** Statuses that end a participation: they no longer attend what lies ahead. */
const LEAVING = ['cancelled', 'rejected'];

/**
 * How the programme follows changes elsewhere, in their transactions (the
 * change seam): a participant who is cancelled or rejected leaves the
 * meetings that have not started (each recorded as a change of the
 * meeting); a station whose dates or timezone would leave meetings on days
 * the delegation is elsewhere is refused (409 naming them), and so is
 * deleting an organisation or contact that meetings name as met.
 */
@Injectable()
export class ProgrammeSubscribers implements OnModuleInit {
  constructor(
    private readonly changes: Changes,
    private readonly meetings: ProgrammeRepository,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(PARTICIPANT, (manager, change) =>
      this.afterParticipant(manager, change),
    );
    this.changes.subscribe(STATION, (manager, change) => this.afterStation(manager, change));
    this.changes.subscribe(PARTNER_ORGANISATION, (manager, change) =>
      change.action === 'partner_organisation.deleted'
        ? this.refuseIfMet(manager, 'organisation', change.id)
        : Promise.resolve(),
    );
    this.changes.subscribe(CONTACT, (manager, change) =>
      change.action === 'contact.deleted'
        ? this.refuseIfMet(manager, 'contact', change.id)
        : Promise.resolve(),
    );
  }

  private async afterParticipant(manager: EntityManager, change: RecordedChange): Promise<void> {
    const status = change.changes?.status?.after;
    if (!change.id || typeof status !== 'string' || !LEAVING.includes(status)) return;
    for (const { meetingId, attendeeIds } of await this.meetings.leaveFutureMeetings(
      manager,
      change.id,
    )) {
      const before = [...attendeeIds].sort();
      await this.changes.record(manager, change.actor, {
        tenantId: change.tenantId,
        subject: MEETING,
        id: meetingId,
        action: 'meeting.attendee_left',
        changes: {
          attendeeIds: { before, after: before.filter((id) => id !== change.id) },
        },
      });
    }
  }

  /** An organisation or contact a meeting names as met stays (409 naming the meetings). */
  private async refuseIfMet(
    manager: EntityManager,
    kind: 'organisation' | 'contact',
    id: string | null,
  ): Promise<void> {
    const meetings = id ? await this.meetings.meetingsNaming(manager, kind, id) : [];
    if (meetings.length > 0)
      throw new CounterpartInUse(
        kind === 'organisation' ? 'partner organisation' : 'contact',
        meetings,
      );
  }

  private async afterStation(manager: EntityManager, change: RecordedChange): Promise<Notice[]> {
    const moved = change.changes;
    if (change.action !== 'station.updated' || !change.id) return [];
    if (!moved?.arrivalDate && !moved?.departureDate && !moved?.timezone) return [];
    const outside = await this.meetings.outsideStation(manager, change.id);
    if (outside.length > 0) throw new MeetingsOutsideStation(outside);
    return moved.timezone ? this.showInNewTimezone(manager, change, moved.timezone) : [];
  }

  /**
   * A station's new timezone keeps its meetings' instants; what changes is
   * their local time. Each meeting is changed (new version, SEQUENCE raised,
   * so calendars and caches take the new local time), and the response says so.
   */
  private async showInNewTimezone(
    manager: EntityManager,
    change: RecordedChange,
    timezone: FieldChanges[string],
  ): Promise<Notice[]> {
    const ids = await this.meetings.touchStationMeetings(manager, change.id!);
    for (const id of ids) {
      await this.changes.record(manager, change.actor, {
        tenantId: change.tenantId,
        subject: MEETING,
        id,
        action: 'meeting.updated',
        changes: { timeZone: timezone },
      });
    }
    if (ids.length === 0) return [];
    return [
      {
        code: 'meetings_shown_in_new_timezone',
        detail: `${ids.length === 1 ? 'The meeting' : `The ${ids.length} meetings`} at this station keep their times as instants; their local times now read in ${String(timezone.after)}.`,
        subject: MEETING.type,
        ids,
      },
    ];
  }
}
