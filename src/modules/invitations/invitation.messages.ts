import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PublicTokens } from '../../common/links/public-tokens.js';
import { AppConfig } from '../../config/app-config.js';
import type { Notification } from '../notifications/entities/notification.entity.js';
import {
  OwnsMessages,
  type Addressing,
  type Loaded,
  type MessageKind,
  type ToLoad,
} from '../notifications/message-kinds.js';
import { Outbox, type NewMessage } from '../notifications/outbox.js';
import { TripsRepository } from '../trips/trips.repository.js';
import type { Invitation } from './entities/invitation.entity.js';
import type { SentInvitation } from './invitations.repository.js';
import { invitationsOpen } from './invitations.constants.js';

/** A message about an invitation, to its invitee. */
function aboutInvitation(
  invitation: Pick<Invitation, 'id' | 'tenantId' | 'tripId' | 'contactId' | 'email'>,
  kind: 'invitation' | 'invitation_reminder',
  dedupeKey: string,
  dueAt?: Date,
): NewMessage {
  return {
    tenantId: invitation.tenantId,
    kind,
    recipient: { contactId: invitation.contactId },
    recipientEmail: invitation.email,
    tripId: invitation.tripId,
    subject: { type: 'invitation', id: invitation.id },
    dedupeKey,
    dueAt,
  };
}

/** The email that carries an invitation's link; a resend is a new message (its count in the key). */
export function invitationEmail(invitation: SentInvitation): NewMessage {
  return aboutInvitation(
    invitation,
    'invitation',
    `invitation:${invitation.id}:${invitation.sendCount}`,
  );
}

interface InvitationRow {
  id: string;
  status: string;
  token_nonce: string;
  message: string | null;
  trip_id: string;
  registered: boolean;
}

/**
 * Invitations and their reminder (DESIGN §6): the invitation email is
 * written when staff invite (`invitationEmail`); the reminder is planned
 * here once its moment has come. Both are read again when sent, and not
 * sent once the invitation is answered or revoked, the invitee is on the
 * trip, or registration has closed.
 */
@Injectable()
@OwnsMessages()
export class InvitationMessages implements MessageKind {
  readonly kinds = ['invitation', 'invitation_reminder'] as const;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly trips: TripsRepository,
    private readonly tokens: PublicTokens,
  ) {}

  /**
   * One reminder per unanswered invitation, due INVITATION_REMINDER_DAYS
   * before registration closes at 09:00 in the agency's timezone. Planned
   * only once that moment has come, from the current dates: a moved
   * deadline moves the reminder, an answered or revoked invitation gets
   * none. Invitations (re)sent after that moment get none either; one
   * renewed after a revocation (new link) may get its own.
   */
  async planDue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager.query<
        {
          id: string;
          tenantId: string;
          tripId: string;
          contactId: string;
          email: string;
          tokenNonce: string;
          remindAt: Date;
        }[]
      >(
        `SELECT id, tenant_id AS "tenantId", trip_id AS "tripId", contact_id AS "contactId", email,
                token_nonce AS "tokenNonce", remind_at AS "remindAt"
           FROM (SELECT i.*, ((date(t.registration_closes_at AT TIME ZONE tn.timezone) - $1::int)
                               + time '09:00') AT TIME ZONE tn.timezone AS remind_at
                   FROM invitations i
                   JOIN trips t ON t.id = i.trip_id
                   JOIN tenants tn ON tn.id = i.tenant_id
                   JOIN contacts c ON c.id = i.contact_id
                  WHERE i.status = 'pending' AND c.erased_at IS NULL
                    AND t.status IN ('planned', 'registration_open')
                    AND t.registration_closes_at > now()) pending
          WHERE remind_at <= now() AND last_sent_at < remind_at
            AND NOT EXISTS (SELECT 1 FROM notifications n
                             WHERE n.tenant_id = pending.tenant_id
                               AND n.dedupe_key = 'invitation-reminder:' || pending.id || ':' || pending.token_nonce)`,
        [this.config.INVITATION_REMINDER_DAYS],
      );
      await this.outbox.add(
        manager,
        due.map((row) =>
          aboutInvitation(
            row,
            'invitation_reminder',
            `invitation-reminder:${row.id}:${row.tokenNonce}`,
            row.remindAt,
          ),
        ),
      );
      return due.length;
    });
  }

  load(manager: EntityManager, message: Notification, addressing: Addressing): Promise<Loaded> {
    return this.loadMany(manager, [{ message, addressing }]).then(([loaded]) => loaded);
  }

  /** A batch's invitations in one statement, and each of their trips once. */
  async loadMany(manager: EntityManager, messages: ToLoad[]): Promise<Loaded[]> {
    const rows = await manager.query<InvitationRow[]>(
      `SELECT i.id, i.status, i.token_nonce, i.message, i.trip_id,
              EXISTS (SELECT 1 FROM participants p
                       WHERE p.trip_id = i.trip_id AND p.contact_id = i.contact_id) AS registered
         FROM invitations i WHERE i.id = ANY($1::uuid[])`,
      [messages.map(({ message }) => message.subjectId)],
    );
    const invitations = new Map(rows.map((row) => [row.id, row]));
    const tripIds = [...new Set(rows.map((row) => row.trip_id))];
    const trips = new Map(
      await Promise.all(
        tripIds.map(async (id) => [id, await this.trips.messageFacts(manager, id)] as const),
      ),
    );
    return messages.map(({ message, addressing }): Loaded => {
      const row = invitations.get(message.subjectId!);
      if (!row) return { stale: 'the invitation is gone' };
      if (row.status !== 'pending') return { stale: `the invitation is ${row.status}` };
      if (row.registered) return { stale: 'the invitee is on the trip already' };
      const trip = trips.get(row.trip_id);
      if (!trip) return { stale: 'its trip no longer exists' };
      if (!invitationsOpen(trip)) return { stale: 'registration for the trip has closed' };
      const token = this.tokens.sign('invitation', row.id, row.token_nonce);
      return {
        context: {
          ...addressing,
          kind: message.kind,
          trip,
          link: `${this.config.PUBLIC_BASE_URL}/invitations/${token}`,
          personalMessage: row.message,
          waitlistPosition: null,
        },
      };
    });
  }
}
