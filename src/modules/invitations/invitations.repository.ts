import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  keysetPageSql,
  type KeysetOptions,
  type Page,
} from '../../common/pagination/pagination.js';
import { inTrip } from '../trips/trip-reads.js';
import { selectColumns } from '../../database/select-columns.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import type { ListInvitationsQuery } from './dto/invitation.dto.js';
import { Invitation } from './entities/invitation.entity.js';

/** What an invitation's status and expiry depend on in its trip. */
export type TripTerms = Pick<Trip, 'status' | 'registrationClosesAt'>;

/** An invitation as read for the API, with its trip's terms. */
export interface InvitationRead {
  invitation: Invitation;
  trip: TripTerms;
}

type InvitationRow = Invitation & {
  tripStatus: Trip['status'];
  tripRegistrationClosesAt: Date | null;
};

/** The trip's terms, in the same row (`t` is the invitation's trip). */
const TRIP_TERMS = `t.status AS "tripStatus", t.registration_closes_at AS "tripRegistrationClosesAt"`;

const ORDER: Pick<KeysetOptions<InvitationRow>, 'keys' | 'direction'> = {
  keys: [
    { column: 'i.created_at', property: 'createdAt' },
    { column: 'i.id', property: 'id' },
  ],
  direction: 'ASC',
};

function readOf({
  tripStatus,
  tripRegistrationClosesAt,
  ...invitation
}: InvitationRow): InvitationRead {
  return {
    invitation,
    trip: { status: tripStatus, registrationClosesAt: tripRegistrationClosesAt },
  };
}

/** What inviting needs of each invitation it sends: its email's recipient and dedupe key. */
export type SentInvitation = Pick<
  Invitation,
  'id' | 'tenantId' | 'tripId' | 'contactId' | 'email' | 'sendCount'
>;

/** A SentInvitation's columns of the invitations row `alias`, returned by the write itself. */
const sentColumns = (alias: string) =>
  `${alias}.id, ${alias}.tenant_id AS "tenantId", ${alias}.trip_id AS "tripId",
   ${alias}.contact_id AS "contactId", ${alias}.email, ${alias}.send_count AS "sendCount"`;

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
  private readonly columns: string;

  constructor(private readonly dataSource: DataSource) {
    this.columns = selectColumns(dataSource.getMetadata(Invitation), 'i');
  }

  /** One invitation of the agency's trip with the trip's terms, in one statement (issue 21). */
  async one(tenantId: string, tripId: string, id: string): Promise<InvitationRead | null> {
    const [row] = await this.dataSource.query<InvitationRow[]>(
      `SELECT ${this.columns}, ${TRIP_TERMS}
         FROM invitations i JOIN trips t ON t.id = i.trip_id
        WHERE i.tenant_id = $1 AND i.trip_id = $2 AND i.id = $3`,
      [tenantId, tripId, id],
    );
    return row ? readOf(row) : null;
  }

  /**
   * A page of the trip's invitations, oldest first, with the trip's terms,
   * in one statement joined to the trip's row: an unknown trip is 404.
   * `pending` and `expired` both read the stored `pending` ones (which of
   * the two they are depends on the trip: the caller decides).
   */
  page(
    tenantId: string,
    tripId: string,
    query: ListInvitationsQuery,
  ): Promise<Page<InvitationRead>> {
    const params: unknown[] = [tenantId, tripId];
    const where = ['i.tenant_id = $1', 'i.trip_id = $2'];
    if (query.status) {
      const stored = query.status === 'expired' ? 'pending' : query.status;
      where.push(`i.status = $${params.push(stored)}`);
    }
    if (query.updatedSince) where.push(`i.updated_at >= $${params.push(query.updatedSince)}`);
    return keysetPageSql<InvitationRow>(
      inTrip((sql, values) => this.dataSource.query<InvitationRow[]>(sql, values), ORDER),
      { select: `SELECT ${this.columns}, ${TRIP_TERMS} FROM invitations i`, where, params },
      { ...ORDER, query },
    ).then((page) => ({ items: page.items.map(readOf), nextCursor: page.nextCursor }));
  }

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
  ): Promise<SentInvitation[]> {
    const params = (contactIds: string[]) => [trip.tenantId, trip.id, contactIds, message];
    const sent: SentInvitation[] = [];
    if (fresh.length > 0) {
      const rows = await manager.query<SentInvitation[]>(
        `INSERT INTO invitations (tenant_id, trip_id, contact_id, email, message)
         SELECT c.tenant_id, $2, c.id, c.email, $4 FROM contacts c
          WHERE c.tenant_id = $1 AND c.id = ANY($3)
         ON CONFLICT (trip_id, contact_id) DO NOTHING
         RETURNING ${sentColumns('invitations')}`,
        params(fresh),
      );
      sent.push(...rows);
    }
    if (renewed.length > 0) {
      // An UPDATE answers [rows, count] through manager.query.
      const [rows] = await manager.query<[SentInvitation[], number]>(
        `UPDATE invitations i
            SET status = 'pending', email = c.email, message = $4, token_nonce = gen_random_uuid(),
                send_count = i.send_count + 1, last_sent_at = now(), answered_at = NULL,
                version = i.version + 1, updated_at = now()
           FROM contacts c
          WHERE c.id = i.contact_id AND i.tenant_id = $1 AND i.trip_id = $2
            AND i.contact_id = ANY($3) AND i.status = 'revoked'
         RETURNING ${sentColumns('i')}`,
        params(renewed),
      );
      sent.push(...rows);
    }
    return sent;
  }
}
