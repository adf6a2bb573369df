import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { invitationsOpen } from '../../invitations/invitations.constants.js';
import { PublicTokens } from '../../../common/links/public-tokens.js';
import type { TripStatus } from '../../trips/trips.constants.js';
import type { ParticipantStatus } from '../../participants/participants.constants.js';
import type { Notification } from '../entities/notification.entity.js';
import { STATUS_NOTICES, type NotificationKind } from '../notifications.constants.js';
import type { MessageContext, StationFacts } from '../templates/message-context.js';

interface Row {
  agency_name: string;
  agency_timezone: string;
  title: string | null;
  first_name: string | null;
  last_name: string;
  erased_at: Date | null;
  trip_title: string;
  start_date: string;
  end_date: string;
  registration_closes_at: Date | null;
  trip_status: TripStatus;
  invitation_status: string | null;
  token_nonce: string | null;
  personal_message: string | null;
  access_nonce: string | null;
  waitlist_position: number | null;
  participant_status: ParticipantStatus | null;
  registered: boolean;
  stations: StationFacts[];
}

/** Messages about an end: true even when sent late. */
const FINAL_NOTICES: readonly NotificationKind[] = [
  'registration_rejected',
  'registration_cancelled',
];

/** Why a message is no longer worth sending, or what to send. */
export type Loaded = { stale: string } | { context: MessageContext };

/**
 * Reads what a message says at the moment it is sent: one query for the
 * agency, recipient, trip, stations and the invitation or registration.
 */
@Injectable()
export class MessageContexts {
  constructor(
    private readonly config: AppConfig,
    private readonly tokens: PublicTokens,
  ) {}

  async load(manager: EntityManager, message: Notification): Promise<Loaded> {
    const [row] = await manager.query<Row[]>(
      `SELECT tn.name AS agency_name, tn.timezone AS agency_timezone,
              c.title, c.first_name, c.last_name, c.erased_at,
              t.title AS trip_title, t.start_date::text, t.end_date::text,
              t.registration_closes_at, t.status AS trip_status,
              i.status AS invitation_status, i.token_nonce, i.message AS personal_message,
              p.access_nonce, p.waitlist_position, p.status AS participant_status,
              EXISTS (SELECT 1 FROM participants r
                       WHERE r.trip_id = n.trip_id AND r.contact_id = n.contact_id) AS registered,
              coalesce((SELECT json_agg(json_build_object(
                          'city', s.city, 'country', s.country, 'timezone', s.timezone,
                          'arrivalDate', s.arrival_date, 'departureDate', s.departure_date)
                        ORDER BY s.position)
                          FROM stations s WHERE s.trip_id = t.id), '[]') AS stations
         FROM notifications n
         JOIN tenants tn ON tn.id = n.tenant_id
         JOIN contacts c ON c.id = n.contact_id
         JOIN trips t ON t.id = n.trip_id
         LEFT JOIN invitations i ON i.id = n.invitation_id
         LEFT JOIN participants p ON p.id = n.participant_id
        WHERE n.id = $1`,
      [message.id],
    );
    if (!row) return { stale: 'its contact or trip no longer exists' };
    if (row.erased_at) return { stale: 'the recipient’s personal data was erased' };
    const invitation = message.kind === 'invitation' || message.kind === 'invitation_reminder';
    if (invitation) {
      if (row.invitation_status !== 'pending') {
        return { stale: `the invitation is ${row.invitation_status ?? 'gone'}` };
      }
      if (row.registered) return { stale: 'the invitee is on the trip already' };
      if (
        !invitationsOpen({
          status: row.trip_status,
          registrationClosesAt: row.registration_closes_at,
        })
      ) {
        return { stale: 'registration for the trip has closed' };
      }
    }
    if (!invitation) {
      if (!row.participant_status) return { stale: 'the registration no longer exists' };
      // A status message overtaken by a newer status (slow retries, the hourly cap) says
      // something no longer true; the newer status has its own message.
      if (
        !FINAL_NOTICES.includes(message.kind) &&
        STATUS_NOTICES[row.participant_status] !== message.kind
      ) {
        return { stale: `the registration is ${row.participant_status} now` };
      }
    }
    const link = invitation
      ? `${this.config.PUBLIC_BASE_URL}/invitations/${this.tokens.sign('invitation', message.invitationId!, row.token_nonce!)}`
      : `${this.config.PUBLIC_BASE_URL}/registrations/${this.tokens.sign('registration', message.participantId!, row.access_nonce!)}`;
    return {
      context: {
        kind: message.kind,
        locale: message.locale,
        agency: { name: row.agency_name, timezone: row.agency_timezone },
        recipient: { title: row.title, firstName: row.first_name, lastName: row.last_name },
        trip: {
          title: row.trip_title,
          startDate: row.start_date,
          endDate: row.end_date,
          registrationClosesAt: row.registration_closes_at,
          stations: row.stations,
        },
        link,
        personalMessage: row.personal_message,
        waitlistPosition: row.waitlist_position,
      },
    };
  }
}
