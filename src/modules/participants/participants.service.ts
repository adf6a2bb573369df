import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import type { Page } from '../../common/pagination/pagination.js';
import { NotFound } from '../../common/problem/domain-error.js';
import { sentFields } from '../../common/validation.js';
import { isUniqueViolation } from '../../database/errors.js';
import { auditActor, type AuditActor } from '../audit/audit.service.js';
import type { CreateContactDto } from '../directory/dto/contact.dto.js';
import { ContactsService } from '../directory/contacts.service.js';
import { Contact } from '../directory/entities/contact.entity.js';
import { PartnerOrganisationsRepository } from '../directory/partner-organisations.repository.js';
import type { Actor } from '../identity/access/actor.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import { fitsOneMore, overbooked, Seats, waitsForSeat, type SeatState } from './seats.js';
import { TripsRepository } from '../trips/trips.repository.js';
import type {
  CreateParticipantDto,
  ListParticipantsQuery,
  UpdateParticipantDto,
} from './dto/participant.dto.js';
import { ContactErased } from '../directory/directory.errors.js';
import { Participant } from './entities/participant.entity.js';
import {
  PARTICIPANT_TRANSITIONS,
  type ParticipantRole,
  type ParticipantStatus,
} from './participants.constants.js';
import {
  contactAmbiguous,
  contactMissing,
  IllegalParticipantTransition,
  ParticipantRuleBroken,
  unknownContact,
  unknownContactOrganisation,
  unknownOrganisation,
} from './participants.errors.js';
import { ParticipantsRepository, type EnrolmentFacts } from './participants.repository.js';
import { PARTICIPANT } from './participants.subjects.js';
import { Changes, diff } from '../audit/changes.js';

/** Two registrations creating the same new contact at once: the loser retries and finds it. */
const CONTACT_EMAIL_UNIQUE = 'UQ_contacts_tenant_email';

/** A new participant's optional fields, null until sent. */
const UNSENT = {
  dietaryNeeds: null,
  accessibilityNeeds: null,
  arrival: null,
  departure: null,
  notes: null,
  consentAt: null,
} satisfies Partial<Participant>;

/**
 * Where a newcomer lands, from what `enrolmentFacts` read (as
 * `Seats.placement` decides it): staff always confirmed; others confirmed
 * when they fit and nobody they would overtake is waiting: a colleague of
 * their organisation (under either policy), or, under `strict_order`,
 * anyone waiting for a seat.
 */
function placement(
  trip: Trip,
  newcomer: { role: ParticipantRole; organisationId: string | null },
  { waiting, seated }: EnrolmentFacts,
): 'confirmed' | 'waitlisted' {
  if (newcomer.role === 'staff') return 'confirmed';
  const confirmed = seated.reduce((sum, row) => sum + row.n, 0);
  const state: SeatState = {
    confirmed,
    seatsLeft: Math.max(0, trip.capacity - confirmed),
    confirmedByOrganisation: new Map(
      seated.flatMap((row) => (row.organisationId ? [[row.organisationId, row.n]] : [])),
    ),
    seatsPerOrganisation: trip.seatsPerOrganisation,
  };
  const colleagueWaits = waiting.some(
    (w) => w.organisationId !== null && w.organisationId === newcomer.organisationId,
  );
  const overtakes =
    colleagueWaits || (trip.waitlistPolicy === 'strict_order' && waitsForSeat(waiting, state));
  return !overtakes && fitsOneMore(state, newcomer.organisationId) ? 'confirmed' : 'waitlisted';
}

@Injectable()
export class ParticipantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly participants: ParticipantsRepository,
    private readonly trips: TripsRepository,
    private readonly seats: Seats,
    private readonly organisations: PartnerOrganisationsRepository,
    private readonly changes: Changes,
    private readonly contacts: ContactsService,
  ) {}

  async list(
    actor: Actor,
    tripId: string,
    query: ListParticipantsQuery,
  ): Promise<Page<Participant>> {
    if (!(await this.trips.findInTenant(actor.tenantId, tripId))) throw new NotFound('trip');
    return this.participants.page(actor.tenantId, tripId, query);
  }

  async get(actor: Actor, tripId: string, id: string): Promise<Participant> {
    const participant = await this.participants.findInTrip(actor.tenantId, tripId, id);
    if (!participant) throw new NotFound('participant');
    return participant;
  }

  /**
   * Adds a contact to the trip. Without approval they land confirmed when a
   * seat is free (and nobody they would overtake is waiting), else
   * waitlisted; with approval they land applied. Staff never take a seat.
   * An inline contact is created in the same transaction, so a refused
   * registration leaves nothing behind.
   */
  async create(actor: Actor, tripId: string, dto: CreateParticipantDto): Promise<Participant> {
    if (dto.contactId && dto.contact) throw contactAmbiguous();
    if (!dto.contactId && !dto.contact) throw contactMissing();
    for (let attempt = 1; ; attempt++) {
      try {
        // Answered as written: nothing after the INSERT changes what the participant shows.
        return await this.dataSource.transaction((manager) =>
          this.register(manager, actor, tripId, dto),
        );
      } catch (error) {
        if (attempt === 1 && isUniqueViolation(error, CONTACT_EMAIL_UNIQUE)) continue;
        if (isUniqueViolation(error, 'UQ_participants_trip_contact')) {
          // Not reached while every registration holds the trip's lock; the index is the backstop.
          throw new ParticipantRuleBroken('already_on_trip', { contactId: dto.contactId ?? null });
        }
        throw error;
      }
    }
  }

  private async register(
    manager: EntityManager,
    actor: Actor,
    tripId: string,
    dto: CreateParticipantDto,
  ): Promise<Participant> {
    const trip = await this.lockOpenTrip(manager, actor, tripId);
    // A contact by id is read with what enrolling decides by; an inline one is found or created.
    const contactId = dto.contactId ?? (await this.resolveInline(manager, actor, dto.contact!)).id;
    const fields = sentFields(dto);
    delete fields.contactId;
    delete fields.contact;
    return this.enrol(manager, trip, contactId, fields, auditActor(actor));
  }

  /**
   * Puts a contact on the trip, the caller holding the trip's lock: the
   * seat decision, arrival stamp and place in line, and the audit event.
   * Staff adding someone and an invitee registering themselves both end here.
   * The participant is returned as stored (nothing else in the transaction
   * changes what it shows).
   */
  async enrol(
    manager: EntityManager,
    trip: Trip,
    contactId: string,
    fields: Partial<Omit<CreateParticipantDto, 'contactId' | 'contact'>> & { consentAt?: Date },
    by: AuditActor,
  ): Promise<Participant> {
    const participant = await this.admit(manager, trip, contactId, fields, by);
    if (!participant) throw new ParticipantRuleBroken('already_on_trip', { contactId });
    return participant;
  }

  /**
   * `enrol`, except that someone on the trip already is left as they are
   * (null). One query decides (see `ParticipantsRepository.enrolmentFacts`),
   * one writes the participant; the change's consequences follow it.
   */
  private async admit(
    manager: EntityManager,
    trip: Trip,
    contactId: string,
    fields: Partial<Omit<CreateParticipantDto, 'contactId' | 'contact'>> & { consentAt?: Date },
    by: AuditActor,
  ): Promise<Participant | null> {
    const facts = await this.participants.enrolmentFacts(
      manager,
      { tenantId: trip.tenantId, tripId: trip.id, contactId },
      fields.organisationId,
    );
    if (!facts) throw unknownContact();
    if (facts.erasedAt) throw new ContactErased();
    if (facts.onTrip) return null;
    const organisationId =
      fields.organisationId === undefined ? facts.partnerOrganisationId : fields.organisationId;
    if (organisationId && !facts.organisationKnown) throw unknownOrganisation();
    const role = fields.role ?? 'member';
    const status: ParticipantStatus =
      trip.approvalRequired && role !== 'staff'
        ? 'applied'
        : placement(trip, { role, organisationId }, facts);
    // Stamped under the trip's lock: arrival order is the order seats were decided in.
    const registeredAt = facts.arrivesAt;
    const participant = manager.create(Participant, {
      // What is not sent is stored as null: the participant is answered as written.
      ...UNSENT,
      ...fields,
      tenantId: trip.tenantId,
      tripId: trip.id,
      contactId,
      organisationId,
      status,
      registeredAt,
      statusChangedAt: registeredAt,
      // The newest arrival is last in line.
      waitlistPosition: status === 'waitlisted' ? facts.waiting.length + 1 : null,
    });
    await manager.save(participant);
    const { consentAt, ...recorded } = fields;
    await this.changes.record(manager, by, {
      tenantId: trip.tenantId,
      action: 'participant.created',
      subject: PARTICIPANT,
      id: participant.id,
      // The invitations module accepts their invitation to the trip, if any (a subscriber).
      facts: { tripId: trip.id, contactId },
      changes: {
        ...diff({}, { ...recorded, contactId, organisationId }),
        status: { before: null, after: status },
        ...(consentAt ? { consentAt: { before: null, after: consentAt.toISOString() } } : {}),
      },
    });
    return participant;
  }

  /**
   * Someone registering themselves (open registration), the caller holding
   * the trip's lock: the agency's contact with their address, else a new
   * one. Null when they are on the trip already (nothing changes).
   */
  async enrolByEmail(
    manager: EntityManager,
    trip: Trip,
    person: CreateContactDto & { email: string },
    fields: Partial<Omit<CreateParticipantDto, 'contactId' | 'contact'>> & { consentAt?: Date },
    by: AuditActor,
  ): Promise<Participant | null> {
    const contact =
      (await this.participants.findContactByEmail(manager, trip.tenantId, person.email)) ??
      (await this.contacts.createInTransaction(manager, trip.tenantId, by, person));
    return this.admit(manager, trip, contact.id, fields, by);
  }

  /**
   * Puts several people on a trip in one transaction, each by email (their
   * contact, else a new one), as staff entering a trip's list at once do;
   * anyone on the trip already is left as they are. Returns how many it
   * added.
   */
  async enrolMany(
    actor: Actor,
    tripId: string,
    people: {
      person: CreateContactDto & { email: string };
      fields: Partial<Omit<CreateParticipantDto, 'contactId' | 'contact'>>;
    }[],
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const trip = await this.lockOpenTrip(manager, actor, tripId);
      let added = 0;
      for (const { person, fields } of people) {
        if (await this.enrolByEmail(manager, trip, person, fields, auditActor(actor))) added += 1;
      }
      return added;
    });
  }

  async update(
    actor: Actor,
    tripId: string,
    id: string,
    dto: UpdateParticipantDto,
    expectedVersion?: number,
  ): Promise<Participant> {
    await this.dataSource.transaction(async (manager) => {
      const { trip, participant } = await this.lockParticipant(manager, actor, tripId, id);
      assertVersion(expectedVersion, participant.version);
      const changes = diff(participant, sentFields(dto));
      if (!changes) return;
      if (PARTICIPANT.personalFields.some((field) => changes[field])) {
        // An erased person's participation stays a statistic: no personal data comes back.
        const contact = await this.participants.findContact(
          manager,
          actor.tenantId,
          participant.contactId,
        );
        if (contact?.erasedAt) throw new ContactErased();
      }
      if (changes.organisationId) {
        await this.assertOrganisation(manager, actor.tenantId, dto.organisationId);
      }
      Object.assign(participant, sentFields(dto));
      const seatsMayChange = Boolean(changes.role || changes.organisationId);
      if (participant.role === 'staff' && participant.status === 'waitlisted') {
        // Staff never take a seat, so they never wait for one.
        participant.status = 'confirmed';
        participant.waitlistPosition = null;
        participant.statusChangedAt = new Date();
        changes.status = { before: 'waitlisted', after: 'confirmed' };
      }
      await manager.save(participant);
      if (seatsMayChange) {
        // A new role or organisation may take a seat (or a colleague's) it does not have.
        if (
          participant.status === 'confirmed' &&
          overbooked(await this.seats.state(manager, trip), trip.capacity)
        ) {
          throw new ParticipantRuleBroken('no_seat');
        }
        // ...or free one, or move them into or out of a waiting group.
        await this.seats.rebalance(manager, trip, auditActor(actor));
      }
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'participant.updated',
        subject: PARTICIPANT,
        id: participant.id,
        changes,
      });
    });
    return this.get(actor, tripId, id);
  }

  /**
   * The participant corrects their own registration (through their link),
   * the caller holding the participant's row lock: only the fields they may
   * change, recorded as done by them.
   */
  async correct(
    manager: EntityManager,
    participant: Participant,
    fields: Partial<
      Pick<Participant, 'dietaryNeeds' | 'accessibilityNeeds' | 'arrival' | 'departure' | 'answers'>
    >,
    by: AuditActor,
  ): Promise<void> {
    const changes = diff(participant, fields);
    if (!changes) return;
    Object.assign(participant, fields);
    await manager.save(participant);
    await this.changes.record(manager, by, {
      tenantId: participant.tenantId,
      action: 'participant.updated',
      subject: PARTICIPANT,
      id: participant.id,
      changes,
    });
  }

  /**
   * Moves a participant along the lifecycle. Confirming an applicant when
   * no seat is free puts them on the waitlist; whatever frees a seat
   * promotes from the waitlist in the same transaction.
   */
  async transition(
    actor: Actor,
    tripId: string,
    id: string,
    to: ParticipantStatus,
    expectedVersion?: number,
  ): Promise<Participant> {
    await this.dataSource.transaction(async (manager) => {
      const { trip, participant } = await this.lockParticipant(manager, actor, tripId, id);
      assertVersion(expectedVersion, participant.version);
      await this.move(manager, trip, participant, to, auditActor(actor));
    });
    return this.get(actor, tripId, id);
  }

  /**
   * One step along the lifecycle, the caller holding the trip's lock: the
   * new status, the participant's email about it, and the promotions a
   * freed seat allows (none once the trip is completed or cancelled).
   */
  async move(
    manager: EntityManager,
    trip: Trip,
    participant: Participant,
    to: ParticipantStatus,
    by: AuditActor,
  ): Promise<void> {
    const from = participant.status;
    const allowed = PARTICIPANT_TRANSITIONS[from];
    if (!allowed.includes(to)) throw new IllegalParticipantTransition(from, to, allowed);
    const next = await this.outcome(manager, trip, participant, to);
    participant.status = next;
    participant.waitlistPosition =
      next === 'waitlisted' ? await this.seats.placeInLine(manager, participant) : null;
    participant.statusChangedAt = new Date();
    await manager.save(participant);
    await this.changes.record(manager, by, {
      tenantId: trip.tenantId,
      action: 'participant.status_changed',
      subject: PARTICIPANT,
      id: participant.id,
      changes: { status: { before: from, after: next } },
    });
    // A finished or cancelled trip's list is history: a freed seat there promotes nobody.
    if (trip.status !== 'completed' && trip.status !== 'cancelled') {
      await this.seats.rebalance(manager, trip, by);
    }
  }

  /** Where a requested status actually lands, given seats and the trip's progress. */
  private async outcome(
    manager: EntityManager,
    trip: Trip,
    participant: Participant,
    to: ParticipantStatus,
  ): Promise<ParticipantStatus> {
    if (to === 'attended' || to === 'no_show') {
      if (trip.status !== 'in_progress' && trip.status !== 'completed') {
        throw new ParticipantRuleBroken('trip_not_under_way');
      }
      return to;
    }
    if (to !== 'confirmed' || participant.role === 'staff') return to;
    if (participant.status === 'applied') {
      return this.seats.placement(manager, trip, participant);
    }
    // A waitlisted participant confirmed by hand: only into a free seat.
    if (!fitsOneMore(await this.seats.state(manager, trip), participant.organisationId)) {
      throw new ParticipantRuleBroken('no_seat');
    }
    return 'confirmed';
  }

  private async lockOpenTrip(manager: EntityManager, actor: Actor, tripId: string): Promise<Trip> {
    const trip = await this.trips.lockInTenant(manager, actor.tenantId, tripId);
    if (!trip) throw new NotFound('trip');
    if (trip.status === 'completed' || trip.status === 'cancelled') {
      throw new ParticipantRuleBroken('trip_closed');
    }
    return trip;
  }

  /** The trip first, then the participant: every seat decision of a trip holds its lock. */
  private async lockParticipant(
    manager: EntityManager,
    actor: Actor,
    tripId: string,
    id: string,
  ): Promise<{ trip: Trip; participant: Participant }> {
    const trip = await this.trips.lockInTenant(manager, actor.tenantId, tripId);
    if (!trip) throw new NotFound('participant');
    const participant = await this.participants.lockInTrip(manager, actor.tenantId, tripId, id);
    if (!participant) throw new NotFound('participant');
    return { trip, participant };
  }

  /** The inline contact to register: the tenant's with its email, else created. */
  private async resolveInline(
    manager: EntityManager,
    actor: Actor,
    inline: CreateContactDto,
  ): Promise<Contact> {
    const existing = inline.email
      ? await this.participants.findContactByEmail(manager, actor.tenantId, inline.email)
      : null;
    return existing ?? this.createContact(manager, actor, inline);
  }

  private async createContact(
    manager: EntityManager,
    actor: Actor,
    dto: CreateContactDto,
  ): Promise<Contact> {
    if (
      dto.partnerOrganisationId &&
      !(await this.organisations.existsInTenant(manager, actor.tenantId, dto.partnerOrganisationId))
    ) {
      throw unknownContactOrganisation();
    }
    return this.contacts.createInTransaction(manager, actor.tenantId, auditActor(actor), dto);
  }

  private async assertOrganisation(
    manager: EntityManager,
    tenantId: string,
    organisationId: string | null | undefined,
  ): Promise<void> {
    if (
      organisationId &&
      !(await this.organisations.existsInTenant(manager, tenantId, organisationId))
    ) {
      throw unknownOrganisation();
    }
  }
}
