import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page } from '../../common/pagination/pagination.js';
import { Contact } from '../directory/entities/contact.entity.js';
import { Tenant } from '../identity/entities/tenant.entity.js';
import { Trip } from '../trips/entities/trip.entity.js';
import type { ListParticipantsQuery } from './dto/participant.dto.js';
import { Participant } from './entities/participant.entity.js';
import { sqlList } from '../../database/sql.js';
import { SEATED_STATUSES, type ParticipantStatus } from './participants.constants.js';
import type { Waiting } from './seats.js';

/**
 * Over `participants p`, `trips t`, `tenants tn`, `contacts c`: a confirmed
 * participant with an address, of a trip ahead that is not cancelled, whom
 * the countdown reminders go to.
 */
const REMINDED = `p.status = 'confirmed' AND t.status NOT IN ('cancelled', 'completed')
  AND c.email IS NOT NULL AND c.erased_at IS NULL`;

/**
 * ...who needs a visa and has no passport on file (`travel_documents d`, left
 * joined), or one expiring before the trip's end plus the agency's margin.
 */
const LACKS_DOCUMENT = `p.visa_required
  AND (d.participant_id IS NULL
       OR d.expires_on < t.end_date + make_interval(months => tn.passport_validity_margin_months))`;

const SEATED = sqlList(SEATED_STATUSES);

/** A participant to be reminded before their trip starts, and the days before it when. */
export interface CountdownRecipient {
  participantId: string;
  tenantId: string;
  tripId: string;
  contactId: string;
  email: string;
  startDate: string;
  /** Days before the start, each at `hour` in `timeZone` (the agency's). */
  days: number[];
  hour: number;
  timeZone: string;
}

/** A participant to be reminded of a missing passport: weekly from `firstDays` before the start. */
export type TravelDocumentRecipient = Omit<CountdownRecipient, 'days'> & { firstDays: number };

/** What enrolling a contact on a trip decides by, read under the trip's lock. */
export interface EnrolmentFacts {
  /** The contact's organisation, erasure and whether they are on the trip already. */
  partnerOrganisationId: string | null;
  erasedAt: Date | null;
  onTrip: boolean;
  /** Whether the organisation they would represent is the agency's (when they represent one). */
  organisationKnown: boolean;
  /** Who is waiting, in the order they arrived. */
  waiting: Waiting[];
  /** Seated participants other than staff, per organisation (null: none). */
  seated: { organisationId: string | null; n: number }[];
  /** The newcomer's arrival instant (see `Seats.nextArrival`). */
  arrivesAt: Date;
}

/** What a participant's own messages (status notices, countdown reminders) are planned from. */
export interface MessageFacts {
  tenantId: string;
  tripId: string;
  contactId: string;
  status: ParticipantStatus;
  /** Their address; null when they have none or were erased. */
  email: string | null;
  /** Who is to get departure reminders: them, or nobody. */
  departure: CountdownRecipient | null;
  /** Who is to get travel-document reminders: them, or nobody. */
  travelDocument: TravelDocumentRecipient | null;
}

@Injectable()
export class ParticipantsRepository {
  /** Message facts read for a change, by the change: its kinds of message read them once. */
  private readonly factsOfChange = new WeakMap<object, Promise<MessageFacts | null>>();

  constructor(private readonly dataSource: DataSource) {}

  findInTrip(tenantId: string, tripId: string, id: string): Promise<Participant | null> {
    return this.dataSource.getRepository(Participant).findOneBy({ tenantId, tripId, id });
  }

  lockInTrip(manager: EntityManager, tenantId: string, tripId: string, id: string) {
    return manager.findOne(Participant, {
      where: { tenantId, tripId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The tenant's contact, key-share locked: it cannot be deleted before the registration commits. */
  findContact(manager: EntityManager, tenantId: string, id: string): Promise<Contact | null> {
    return manager.findOne(Contact, { where: { tenantId, id }, lock: { mode: 'for_key_share' } });
  }

  /** The tenant's contact with this email, ignoring case (citext); key-share locked. */
  findContactByEmail(
    manager: EntityManager,
    tenantId: string,
    email: string,
  ): Promise<Contact | null> {
    return manager.findOne(Contact, {
      where: { tenantId, email },
      lock: { mode: 'for_key_share' },
    });
  }

  /**
   * The tenant's trip and the agency, for what a participant's travel
   * document must cover (the trip's end plus the agency's passport margin).
   */
  async tripAndAgency(
    manager: EntityManager,
    tenantId: string,
    tripId: string,
  ): Promise<{ trip: Trip; tenant: Tenant }> {
    // One connection per transaction: these run one after the other anyway.
    const trip = await manager.findOneByOrFail(Trip, { tenantId, id: tripId });
    const tenant = await manager.findOneByOrFail(Tenant, { id: tenantId });
    return { trip, tenant };
  }

  /**
   * What enrolling the tenant's contact on the trip decides by, in one query,
   * the caller holding the trip's lock (so it sees every seat decided before):
   * the contact (key-share locked: it cannot be deleted before the
   * registration commits), whether they are on the trip, whether the
   * organisation they would represent (theirs, unless `organisationId` is
   * given) is the agency's (key-share locked too), the waitlist, the seats
   * taken and the newcomer's arrival instant, as `Seats` reads them. Null
   * when the tenant has no such contact.
   */
  async enrolmentFacts(
    manager: EntityManager,
    of: { tenantId: string; tripId: string; contactId: string },
    organisationId: string | null | undefined,
  ): Promise<EnrolmentFacts | null> {
    const [row] = await manager.query<EnrolmentFacts[]>(
      `WITH contact AS (
              SELECT id, partner_organisation_id, erased_at FROM contacts
               WHERE tenant_id = $1 AND id = $3 FOR KEY SHARE),
            organisation AS (
              SELECT o.id FROM partner_organisations o, contact c
               WHERE o.tenant_id = $1
                 AND o.id = CASE WHEN $4 THEN c.partner_organisation_id ELSE $5::uuid END
                 FOR KEY SHARE OF o)
       SELECT c.partner_organisation_id AS "partnerOrganisationId", c.erased_at AS "erasedAt",
              EXISTS (SELECT 1 FROM participants WHERE trip_id = $2 AND contact_id = c.id)
                AS "onTrip",
              EXISTS (SELECT 1 FROM organisation) AS "organisationKnown",
              coalesce((SELECT json_agg(json_build_object('id', id, 'organisationId', organisation_id)
                                        ORDER BY registered_at, id)
                          FROM participants WHERE trip_id = $2 AND status = 'waitlisted'), '[]')
                AS waiting,
              coalesce((SELECT json_agg(json_build_object('organisationId', organisation_id, 'n', n))
                          FROM (SELECT organisation_id, count(*)::int AS n FROM participants
                                 WHERE trip_id = $2 AND status IN (${SEATED}) AND role <> 'staff'
                                 GROUP BY organisation_id) seats), '[]') AS seated,
              (SELECT greatest(date_trunc('milliseconds', clock_timestamp()),
                               max(registered_at) + interval '1 millisecond')
                 FROM participants WHERE trip_id = $2) AS "arrivesAt"
         FROM contact c`,
      [of.tenantId, of.tripId, of.contactId, organisationId === undefined, organisationId ?? null],
    );
    return row ?? null;
  }

  /** In registration order; served by (trip_id, registered_at, id). */
  page(tenantId: string, tripId: string, query: ListParticipantsQuery): Promise<Page<Participant>> {
    const builder = this.dataSource
      .getRepository(Participant)
      .createQueryBuilder('p')
      .where('p.tenant_id = :tenantId AND p.trip_id = :tripId', { tenantId, tripId });
    if (query.status) builder.andWhere('p.status IN (:...statuses)', { statuses: query.status });
    if (query.role) builder.andWhere('p.role = :role', { role: query.role });
    if (query.category) builder.andWhere('p.category = :category', { category: query.category });
    if (query.organisationId) {
      builder.andWhere('p.organisation_id = :organisationId', {
        organisationId: query.organisationId,
      });
    }
    if (query.organisationKind || query.organisationCountry) {
      builder.andWhere(
        `p.organisation_id IN (SELECT o.id FROM partner_organisations o
          WHERE o.tenant_id = :tenantId AND coalesce(o.kind = :kind, true)
            AND coalesce(o.country = :country, true))`,
        { kind: query.organisationKind ?? null, country: query.organisationCountry ?? null },
      );
    }
    if (query.visaStatus) {
      builder.andWhere('p.visa_status = :visaStatus', { visaStatus: query.visaStatus });
    }
    if (query.updatedSince) {
      builder.andWhere('p.updated_at >= :since', { since: query.updatedSince });
    }
    return keysetPage(builder, {
      keys: [
        { column: 'p.registered_at', property: 'registeredAt' },
        { column: 'p.id', property: 'id' },
      ],
      direction: 'ASC',
      query,
    });
  }

  /**
   * Confirmed participants with an address, of a trip ahead that is not
   * cancelled, with what their departure reminders are planned from (the
   * trip's start, the agency's days, hour and zone). Of one participant or a
   * whole trip; one query.
   */
  departureRecipients(
    manager: EntityManager,
    of: { participantId: string } | { tripId: string },
  ): Promise<CountdownRecipient[]> {
    const [where, parameter] =
      'participantId' in of ? ['p.id = $1', of.participantId] : ['p.trip_id = $1', of.tripId];
    return manager.query<CountdownRecipient[]>(
      `SELECT p.id AS "participantId", p.tenant_id AS "tenantId", p.trip_id AS "tripId",
              c.id AS "contactId", c.email::text AS email, t.start_date::text AS "startDate",
              tn.departure_reminder_days AS days, tn.departure_reminder_hour AS hour,
              tn.timezone AS "timeZone"
         FROM participants p
         JOIN trips t ON t.id = p.trip_id
         JOIN tenants tn ON tn.id = p.tenant_id
         JOIN contacts c ON c.id = p.contact_id
        WHERE ${where} AND ${REMINDED}
        ORDER BY p.id`,
      [parameter],
    );
  }

  /**
   * Confirmed participants with an address who need a visa and have no
   * passport on file, or one expiring before the trip's end plus the
   * agency's margin, of a trip not cancelled or completed; with what their
   * reminders are planned from. Of one participant or a whole trip.
   */
  travelDocumentRecipients(
    manager: EntityManager,
    of: { participantId: string } | { tripId: string },
  ): Promise<TravelDocumentRecipient[]> {
    const [where, parameter] =
      'participantId' in of ? ['p.id = $1', of.participantId] : ['p.trip_id = $1', of.tripId];
    return manager.query<TravelDocumentRecipient[]>(
      `SELECT p.id AS "participantId", p.tenant_id AS "tenantId", p.trip_id AS "tripId",
              c.id AS "contactId", c.email::text AS email, t.start_date::text AS "startDate",
              tn.travel_document_reminder_days AS "firstDays", tn.departure_reminder_hour AS hour,
              tn.timezone AS "timeZone"
         FROM participants p
         JOIN trips t ON t.id = p.trip_id
         JOIN tenants tn ON tn.id = p.tenant_id
         JOIN contacts c ON c.id = p.contact_id
         LEFT JOIN travel_documents d ON d.participant_id = p.id
        WHERE ${where} AND ${REMINDED} AND ${LACKS_DOCUMENT}
        ORDER BY p.id`,
      [parameter],
    );
  }

  /** Whether a participant still lacks a passport that lasts long enough (for a reminder sent now). */
  async lacksTravelDocument(manager: EntityManager, participantId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM participants p
         JOIN trips t ON t.id = p.trip_id
         JOIN tenants tn ON tn.id = p.tenant_id
         LEFT JOIN travel_documents d ON d.participant_id = p.id
        WHERE p.id = $1 AND ${LACKS_DOCUMENT}`,
      [participantId],
    );
    return rows.length > 0;
  }

  /** The agency's trips not yet started, cancelled or completed: whose reminders a setting moves. */
  async tripsAhead(manager: EntityManager, tenantId: string): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT t.id FROM trips t JOIN tenants tn ON tn.id = t.tenant_id
        WHERE t.tenant_id = $1 AND t.status NOT IN ('cancelled', 'completed')
          AND t.start_date >= (now() AT TIME ZONE tn.timezone)::date`,
      [tenantId],
    );
    return rows.map((row) => row.id);
  }

  /**
   * What the participant's own messages are planned from, read once for
   * `change` (one query, shared by the kinds that plan them in its
   * transaction: nothing they do changes it); null when they do not exist.
   */
  messageFacts(
    manager: EntityManager,
    participantId: string,
    change: object,
  ): Promise<MessageFacts | null> {
    let facts = this.factsOfChange.get(change);
    if (!facts) {
      facts = this.readMessageFacts(manager, participantId);
      this.factsOfChange.set(change, facts);
    }
    return facts;
  }

  private async readMessageFacts(
    manager: EntityManager,
    participantId: string,
  ): Promise<MessageFacts | null> {
    const [row] = await manager.query<
      (Omit<CountdownRecipient, 'days' | 'email'> & {
        email: string | null;
        status: ParticipantStatus;
        days: number[];
        firstDays: number;
        reminded: boolean;
        lacksDocument: boolean;
      })[]
    >(
      `SELECT p.id AS "participantId", p.tenant_id AS "tenantId", p.trip_id AS "tripId",
              c.id AS "contactId", p.status,
              CASE WHEN c.erased_at IS NULL THEN c.email::text END AS email,
              t.start_date::text AS "startDate", tn.departure_reminder_days AS days,
              tn.travel_document_reminder_days AS "firstDays", tn.departure_reminder_hour AS hour,
              tn.timezone AS "timeZone", ${REMINDED} AS reminded,
              ${REMINDED} AND ${LACKS_DOCUMENT} AS "lacksDocument"
         FROM participants p
         JOIN trips t ON t.id = p.trip_id
         JOIN tenants tn ON tn.id = p.tenant_id
         JOIN contacts c ON c.id = p.contact_id
         LEFT JOIN travel_documents d ON d.participant_id = p.id
        WHERE p.id = $1`,
      [participantId],
    );
    if (!row) return null;
    const { status, days, firstDays, reminded, lacksDocument, ...recipient } = row;
    const { tenantId, tripId, contactId, email } = recipient;
    return {
      tenantId,
      tripId,
      contactId,
      status,
      email,
      departure: reminded ? { ...recipient, email: email!, days } : null,
      travelDocument: lacksDocument ? { ...recipient, email: email!, firstDays } : null,
    };
  }

  /** What a status notice says about the registration when it is sent. */
  async noticeFacts(
    manager: EntityManager,
    participantId: string,
  ): Promise<{
    tripId: string;
    status: ParticipantStatus;
    waitlistPosition: number | null;
    accessNonce: string;
  } | null> {
    const participant = await manager.findOne(Participant, {
      select: { id: true, tripId: true, status: true, waitlistPosition: true, accessNonce: true },
      where: { id: participantId },
    });
    return participant && { ...participant, accessNonce: participant.accessNonce! };
  }
}
