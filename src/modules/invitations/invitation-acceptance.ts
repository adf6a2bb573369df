import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Changes } from '../audit/changes.js';
import { Outbox } from '../notifications/outbox.js';
import { PARTICIPANT } from '../participants/participants.subjects.js';

/**
 * Whoever put someone on a trip (staff, an integration, or they themselves
 * through the link), their invitation to it is now accepted, and its
 * unsent email and reminder stop: in the transaction that enrolled them.
 */
@Injectable()
export class InvitationAcceptance implements OnModuleInit {
  constructor(
    private readonly changes: Changes,
    private readonly outbox: Outbox,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(PARTICIPANT, async (manager, change) => {
      if (change.action !== 'participant.created' || !change.id) return;
      const { tripId, contactId } = change.facts as { tripId: string; contactId: string };
      await this.accept(manager, change.tenantId, tripId, contactId, change.id);
    });
  }

  private async accept(
    manager: EntityManager,
    tenantId: string,
    tripId: string,
    contactId: string,
    participantId: string,
  ): Promise<void> {
    // An UPDATE answers [rows, count] through manager.query.
    const [accepted] = await manager.query<[{ id: string }[], number]>(
      `UPDATE invitations
          SET status = 'accepted', answered_at = now(), participant_id = $4,
              version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND trip_id = $2 AND contact_id = $3
          AND status IN ('pending', 'declined')
       RETURNING id`,
      [tenantId, tripId, contactId, participantId],
    );
    for (const { id } of accepted) {
      await this.outbox.cancel(manager, tenantId, { subject: { type: 'invitation', id } });
    }
  }
}
