import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Changes, type Writes } from '../audit/changes.js';
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
    this.changes.subscribe(PARTICIPANT, async (_manager, change) => {
      if (change.action !== 'participant.created' || !change.id) return;
      const { tripId, contactId } = change.facts as { tripId: string; contactId: string };
      await this.accept(change.writes, change.tenantId, tripId, contactId, change.id);
    });
  }

  /** Among the change's writes: the invitations accepted, then their unsent messages stopped. */
  private async accept(
    writes: Writes,
    tenantId: string,
    tripId: string,
    contactId: string,
    participantId: string,
  ): Promise<void> {
    const [tenant, trip, contact, participant] = [tenantId, tripId, contactId, participantId].map(
      (value) => writes.param(value),
    );
    const accepted = writes.add(
      `UPDATE invitations
          SET status = 'accepted', answered_at = now(), participant_id = ${participant}::uuid,
              version = version + 1, updated_at = now()
        WHERE tenant_id = ${tenant}::uuid AND trip_id = ${trip}::uuid
          AND contact_id = ${contact}::uuid AND status IN ('pending', 'declined')
       RETURNING id`,
    );
    await this.outbox.cancel(writes, tenantId, {
      subjectsOf: { type: 'invitation', from: accepted },
    });
  }
}
