import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import type { Page } from '../../common/pagination/pagination.js';
import { NotFound } from '../../common/problem/domain-error.js';
import { sentFields } from '../../common/validation.js';
import { isUniqueViolation } from '../../database/errors.js';
import { auditActor, AuditService, diff } from '../audit/audit.service.js';
import { ContactsRepository } from '../directory/contacts.repository.js';
import { ContactsService } from '../directory/contacts.service.js';
import type { Contact } from '../directory/entities/contact.entity.js';
import { PartnerOrganisationsRepository } from '../directory/partner-organisations.repository.js';
import type { Actor } from '../identity/access/actor.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import { fitsOneMore, overbooked, Seats } from '../trips/seats.js';
import { TripsRepository } from '../trips/trips.repository.js';
import type {
  CreateParticipantDto,
  ListParticipantsQuery,
  UpdateParticipantDto,
} from './dto/participant.dto.js';
import { Participant } from './entities/participant.entity.js';
import { PARTICIPANT_TRANSITIONS, type ParticipantStatus } from './participants.constants.js';
import {
  contactMissing,
  IllegalParticipantTransition,
  ParticipantRuleBroken,
  unknownContact,
  unknownOrganisation,
} from './participants.errors.js';
import { ParticipantsRepository } from './participants.repository.js';

/** Until renumbered in the same transaction: the CHECK wants a position on every waitlisted row. */
const PROVISIONAL_POSITION = 1_000_000;
/** Free-text fields about a person's needs: audit diffs say they changed, not to what. */
const PERSONAL_FIELDS = [
  'dietaryNeeds',
  'accessibilityNeeds',
  'arrival',
  'departure',
  'notes',
  'answers',
];

@Injectable()
export class ParticipantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly participants: ParticipantsRepository,
    private readonly trips: TripsRepository,
    private readonly seats: Seats,
    private readonly contacts: ContactsRepository,
    private readonly contactsService: ContactsService,
    private readonly organisations: PartnerOrganisationsRepository,
    private readonly audit: AuditService,
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
   */
  async create(actor: Actor, tripId: string, dto: CreateParticipantDto): Promise<Participant> {
    const contact = await this.resolveContact(actor, dto);
    const fields = sentFields(dto);
    delete fields.contactId;
    delete fields.contact;
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        const trip = await this.lockOpenTrip(manager, actor, tripId);
        const organisationId =
          dto.organisationId === undefined ? contact.partnerOrganisationId : dto.organisationId;
        await this.assertOrganisation(manager, actor, organisationId);
        const status: ParticipantStatus =
          trip.approvalRequired && dto.role !== 'staff'
            ? 'applied'
            : await this.seats.placement(manager, trip, { role: dto.role, organisationId });
        const participant = manager.create(Participant, {
          ...fields,
          tenantId: actor.tenantId,
          tripId,
          contactId: contact.id,
          organisationId,
          status,
          waitlistPosition: status === 'waitlisted' ? PROVISIONAL_POSITION : null,
          // Taken under the trip's lock: arrival order is the order seats were decided in.
          registeredAt: new Date(),
          statusChangedAt: new Date(),
        });
        await manager.save(participant);
        await this.seats.renumber(manager, tripId);
        await this.audit.record(manager, auditActor(actor), {
          tenantId: actor.tenantId,
          action: 'participant.created',
          entityType: 'participant',
          entityId: participant.id,
          changes: {
            ...diff({}, { ...fields, contactId: contact.id, organisationId }, PERSONAL_FIELDS),
            status: { before: null, after: status },
          },
        });
        return participant.id;
      });
      return await this.get(actor, tripId, id);
    } catch (error) {
      if (isUniqueViolation(error, 'UQ_participants_trip_contact')) {
        throw new ParticipantRuleBroken('already_on_trip', { contactId: contact.id });
      }
      throw error;
    }
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
      const changes = diff(participant, sentFields(dto), PERSONAL_FIELDS);
      if (!changes) return;
      if (changes.organisationId) await this.assertOrganisation(manager, actor, dto.organisationId);
      Object.assign(participant, sentFields(dto));
      await manager.save(participant);
      if ((changes.role || changes.organisationId) && participant.status === 'confirmed') {
        // A new role or organisation may take a seat (or a colleague's) it does not have.
        if (overbooked(await this.seats.state(manager, trip), trip.capacity)) {
          throw new ParticipantRuleBroken('no_seat');
        }
        await this.seats.rebalance(manager, trip);
      }
      await this.audit.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'participant.updated',
        entityType: 'participant',
        entityId: participant.id,
        changes,
      });
    });
    return this.get(actor, tripId, id);
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
      const from = participant.status;
      const allowed = PARTICIPANT_TRANSITIONS[from];
      if (!allowed.includes(to)) throw new IllegalParticipantTransition(from, to, allowed);
      const next = await this.outcome(manager, trip, participant, to);
      participant.status = next;
      participant.waitlistPosition = next === 'waitlisted' ? PROVISIONAL_POSITION : null;
      participant.statusChangedAt = new Date();
      await manager.save(participant);
      await this.audit.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'participant.status_changed',
        entityType: 'participant',
        entityId: participant.id,
        changes: { status: { before: from, after: next } },
      });
      const promoted = await this.seats.rebalance(manager, trip);
      for (const promotedId of promoted) {
        await this.audit.record(manager, auditActor(actor), {
          tenantId: actor.tenantId,
          action: 'participant.promoted',
          entityType: 'participant',
          entityId: promotedId,
          changes: { status: { before: 'waitlisted', after: 'confirmed' } },
        });
      }
    });
    return this.get(actor, tripId, id);
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

  private async resolveContact(actor: Actor, dto: CreateParticipantDto): Promise<Contact> {
    if (dto.contactId) {
      const contact = await this.contacts.findInTenant(actor.tenantId, dto.contactId);
      if (!contact) throw unknownContact();
      return contact;
    }
    if (!dto.contact) throw contactMissing();
    const existing = dto.contact.email
      ? await this.contacts.findByEmail(actor.tenantId, dto.contact.email)
      : null;
    return existing ?? this.contactsService.create(actor, dto.contact);
  }

  private async assertOrganisation(
    manager: EntityManager,
    actor: Actor,
    organisationId: string | null | undefined,
  ): Promise<void> {
    if (
      organisationId &&
      !(await this.organisations.existsInTenant(manager, actor.tenantId, organisationId))
    ) {
      throw unknownOrganisation();
    }
  }
}
