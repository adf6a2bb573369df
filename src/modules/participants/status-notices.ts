import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Changes } from '../audit/changes.js';
import { Outbox } from '../notifications/outbox.js';
import { PARTICIPANT } from './participants.subjects.js';

/**
 * Participants hear by email of each status their registration reaches
 * (received, waitlisted, confirmed, rejected, cancelled), written to the
 * outbox in the transaction of the change. Someone staff or an integration
 * put on the trip is told by them; someone who registered through a link
 * gets the acknowledgement at once.
 */
@Injectable()
export class StatusNotices implements OnModuleInit {
  constructor(
    private readonly changes: Changes,
    private readonly outbox: Outbox,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(PARTICIPANT, async (manager, change) => {
      if (!change.id || !change.changes?.status) return;
      if (change.action === 'participant.created' && change.actor.type !== 'anonymous') return;
      await this.outbox.participantStatus(manager, change.tenantId, [change.id]);
    });
  }
}
