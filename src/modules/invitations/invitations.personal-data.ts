import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalData } from '../../common/personal-data/personal-data.js';
import { ERASED_ADDRESS } from '../notifications/outbox.js';
import { Invitation } from './entities/invitation.entity.js';

/** An invitation holds the address it went to and the agency's personal note. */
@Injectable()
export class InvitationsPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'invitations',
      personal: { invitations: ['email', 'message'] },
      notPersonal: { invitations: ['status'] },
      export: async (manager: EntityManager, tenantId: string, contactId: string) => ({
        invitations: (
          await manager.find(Invitation, {
            where: { tenantId, contactId },
            order: { createdAt: 'ASC', id: 'ASC' },
          })
        ).map((invitation) => ({
          id: invitation.id,
          tripId: invitation.tripId,
          email: invitation.email,
          status: invitation.status,
          message: invitation.message,
          sendCount: invitation.sendCount,
          lastSentAt: invitation.lastSentAt,
          answeredAt: invitation.answeredAt,
        })),
      }),
      // Invitations keep trip and status, not the address or the personal note; none stays open.
      erase: async (manager: EntityManager, tenantId: string, contactId: string) => {
        await manager.query(
          `UPDATE invitations
              SET email = $3, message = NULL,
                  status = CASE WHEN status = 'pending' THEN 'revoked' ELSE status END,
                  version = version + 1, updated_at = now()
            WHERE tenant_id = $1 AND contact_id = $2`,
          [tenantId, contactId, ERASED_ADDRESS],
        );
      },
    });
  }
}
