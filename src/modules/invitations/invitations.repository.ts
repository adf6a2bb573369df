import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Trip } from '../trips/entities/trip.entity.js';
import { Invitation } from './entities/invitation.entity.js';

/** A contact asked to be invited, with what they have on the trip already. */
export interface Invitee {
  id: string;
  email: string | null;
  erased: boolean;
  invitation_id: string | null;
  invitation_status: Invitation['status'] | null;
  registered: boolean;
}

@Injectable()
export class InvitationsRepository {
  /**
   * The tenant's contacts among `contactIds`, with their invitation and
   * registration on this trip: one query, the contacts key-share locked.
   */
  invitees(manager: EntityManager, trip: Trip, contactIds: string[]): Promise<Invitee[]> {
    return manager.query<Invitee[]>(
      `SELECT c.id, c.email, c.erased_at IS NOT NULL AS erased,
              i.id AS invitation_id, i.status AS invitation_status,
              EXISTS (SELECT 1 FROM participants p
                       WHERE p.trip_id = $2 AND p.contact_id = c.id) AS registered
         FROM contacts c
         LEFT JOIN invitations i ON i.trip_id = $2 AND i.contact_id = c.id
        WHERE c.tenant_id = $1 AND c.id = ANY($3)
        FOR KEY SHARE OF c`,
      [trip.tenantId, trip.id, contactIds],
    );
  }

  /**
   * Invitations bound to each contact's current address, the new first:
   * new ones for `fresh` (a concurrent duplicate is skipped), then the
   * revoked ones of `renewed` made new, with a new nonce (old links stay dead).
   */
  async atCurrentAddress(
    manager: EntityManager,
    trip: Trip,
    { fresh, renewed }: { fresh: string[]; renewed: string[] },
    message: string | null,
  ): Promise<Invitation[]> {
    const params = (contactIds: string[]) => [trip.tenantId, trip.id, contactIds, message];
    const sent: Invitation[] = [];
    if (fresh.length > 0) {
      const rows = await manager.query<{ id: string }[]>(
        `INSERT INTO invitations (tenant_id, trip_id, contact_id, email, message)
         SELECT c.tenant_id, $2, c.id, c.email, $4 FROM contacts c
          WHERE c.tenant_id = $1 AND c.id = ANY($3)
         ON CONFLICT (trip_id, contact_id) DO NOTHING
         RETURNING id`,
        params(fresh),
      );
      sent.push(...(await this.byIds(manager, rows)));
    }
    if (renewed.length > 0) {
      // An UPDATE answers [rows, count] through manager.query.
      const [rows] = await manager.query<[{ id: string }[], number]>(
        `UPDATE invitations i
            SET status = 'pending', email = c.email, message = $4, token_nonce = gen_random_uuid(),
                send_count = i.send_count + 1, last_sent_at = now(), answered_at = NULL,
                version = i.version + 1, updated_at = now()
           FROM contacts c
          WHERE c.id = i.contact_id AND i.tenant_id = $1 AND i.trip_id = $2
            AND i.contact_id = ANY($3) AND i.status = 'revoked'
         RETURNING i.id`,
        params(renewed),
      );
      sent.push(...(await this.byIds(manager, rows)));
    }
    return sent;
  }

  private byIds(manager: EntityManager, rows: { id: string }[]): Promise<Invitation[]> {
    const ids = rows.map((row) => row.id);
    return ids.length === 0
      ? Promise.resolve([])
      : manager
          .getRepository(Invitation)
          .createQueryBuilder('i')
          .where('i.id = ANY(:ids)', { ids })
          .getMany();
  }
}
