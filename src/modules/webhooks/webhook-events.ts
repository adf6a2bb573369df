import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AGREEMENT } from '../agreements/agreements.subjects.js';
import { Changes, type RecordedChange } from '../audit/changes.js';
import { INVITATION } from '../invitations/invitations.subjects.js';
import { PARTICIPANT } from '../participants/participants.subjects.js';
import { MEETING } from '../programme/programme.subjects.js';
import { TRIP } from '../trips/trips.subjects.js';
import type { WebhookEventType } from './webhooks.constants.js';
import { WebhooksRepository, type WebhookEvent } from './webhooks.repository.js';

type ResourceType = WebhookEvent['resource']['type'];

/** Which event a change of a resource is, if any (by the change's action). */
const EVENTS: Record<ResourceType, (change: RecordedChange) => WebhookEventType | null> = {
  trip: (change) => (change.action === 'trip.status_changed' ? 'trip.status_changed' : null),
  participant: (change) =>
    ({
      'participant.created': 'participant.registered' as const,
      'participant.status_changed': 'participant.status_changed' as const,
      'participant.promoted': 'participant.status_changed' as const,
      'participant.updated': 'participant.updated' as const,
    })[change.action] ?? null,
  invitation: (change) =>
    change.action === 'invitation.accepted' || change.action === 'invitation.declined'
      ? change.action
      : null,
  meeting: (change) => {
    if (change.action === 'meeting.created') return 'meeting.created';
    if (change.action === 'meeting.status_changed' && change.changes?.status?.after === 'cancelled')
      return 'meeting.cancelled';
    return ['meeting.updated', 'meeting.status_changed', 'meeting.attendee_left'].includes(
      change.action,
    )
      ? 'meeting.updated'
      : null;
  },
  agreement: (change) =>
    change.action === 'agreement.status_changed' ? 'agreement.status_changed' : null,
};

const SUBJECTS = {
  trip: TRIP,
  participant: PARTICIPANT,
  invitation: INVITATION,
  meeting: MEETING,
  agreement: AGREEMENT,
};

/**
 * Turns changes into webhook events, in the transaction of the change (a
 * change rolled back emits nothing): one subscriber per resource type, the
 * catalogue's event for the change's action, a delivery per endpoint that
 * wants it. `participant.registered` fires for every new participant,
 * whoever put them on the trip (staff, a link, an integration, open
 * registration): all go through one change.
 */
@Injectable()
export class WebhookEvents implements OnModuleInit {
  constructor(
    private readonly changes: Changes,
    private readonly webhooks: WebhooksRepository,
  ) {}

  onModuleInit(): void {
    for (const type of Object.keys(SUBJECTS) as ResourceType[]) {
      this.changes.subscribe(SUBJECTS[type], (manager, change) => this.emit(manager, type, change));
    }
  }

  private async emit(manager: EntityManager, type: ResourceType, change: RecordedChange) {
    const event = EVENTS[type](change);
    if (!event || !change.id) return;
    await this.webhooks.addEvent(manager, {
      tenantId: change.tenantId,
      type: event,
      resource: { type, id: change.id },
      changedFields: Object.keys(change.changes ?? {}),
      occurredAt: change.occurredAt,
    });
  }
}
