import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import { sentFields } from '../../common/validation.js';
import { type AuditActor } from '../audit/audit.service.js';
import type { Origin } from '../identity/access/actor.js';
import { Outbox } from '../notifications/outbox.js';
import { Participant } from '../participants/entities/participant.entity.js';
import { ParticipantsService } from '../participants/participants.service.js';
import { TravelDocumentsService } from '../participants/travel-documents.service.js';
import { ValidationFailed } from '../../common/problem/domain-error.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import type { Contact } from '../directory/entities/contact.entity.js';
import type { Tenant } from '../identity/entities/tenant.entity.js';
import { LOCALES, type Locale } from '../identity/roles.js';
import { isUniqueViolation } from '../../database/errors.js';
import type {
  OpenRegistrationDto,
  PublicAgencyDto,
  PublicOpenTripDto,
  PublicInvitationDto,
  PublicRegisteredDto,
  PublicRegistrationDto,
  PublicRegistrationUpdateDto,
  PublicRegistrationViewDto,
  PublicTripDto,
} from './dto/public.dto.js';
import { Invitation } from './entities/invitation.entity.js';
import { InvitationRuleBroken, LinkNotFound } from './invitations.errors.js';
import { invitationsOpen, invitationStatus } from './invitations.constants.js';
import { itineraryFeedUrl } from '../../common/links/itinerary-feed.js';
import { PublicTokens, type TokenPurpose } from '../../common/links/public-tokens.js';
import { AppConfig } from '../../config/app-config.js';
import { INVITATION } from './invitations.subjects.js';
import { Changes } from '../audit/changes.js';
import { PublicLinksRepository, type Opened } from './public-links.repository.js';

/** Audit events of participants acting through their links: no account, the link's origin. */
const participantActor = (origin: Origin): AuditActor => ({ type: 'anonymous', id: null, origin });

/** Statuses in which a participant may still change their registration. */
const EDITABLE = ['applied', 'waitlisted', 'confirmed'];
/** A participation that has ended: its calendar feed is gone. */
const ENDED = ['cancelled', 'rejected'];

/**
 * What invitees and participants do through the links they were sent, with
 * no account: the token is the only key, and it opens one invitation or one
 * registration. Every token that does not (unknown, tampered, revoked,
 * expired, erased person) is the same 404.
 */
@Injectable()
export class PublicService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: PublicTokens,
    private readonly links: PublicLinksRepository,
    private readonly participants: ParticipantsService,
    private readonly travelDocuments: TravelDocumentsService,
    private readonly outbox: Outbox,
    private readonly changes: Changes,
    private readonly config: AppConfig,
  ) {}

  async invitation(token: string): Promise<PublicInvitationDto> {
    return this.dataSource.transaction(async (manager) => {
      const { row, trip, tenant, contact } = await this.openInvitation(manager, token, false);
      return {
        status: invitationStatus(row, trip),
        message: row.message,
        invitee: {
          title: contact.title,
          firstName: contact.firstName,
          lastName: contact.lastName,
          email: row.email,
          organisation: await this.links.organisation(manager, contact.partnerOrganisationId),
        },
        language: languageOf(contact, tenant),
        agency: agencyView(tenant),
        trip: await this.tripView(manager, trip),
      };
    });
  }

  /**
   * The invitee registers: lifecycle and capacity rules as for staff, the
   * invitation accepted, its reminder cancelled and the confirmation,
   * waitlist or "under review" email written, all in one transaction.
   */
  async register(
    token: string,
    dto: PublicRegistrationDto,
    origin: Origin,
  ): Promise<PublicRegisteredDto> {
    return this.dataSource.transaction(async (manager) => {
      const opened = await this.openInvitation(manager, token, true);
      const { row, trip, contact } = opened;
      if (row.status === 'accepted') throw new InvitationRuleBroken('invitation_answered_already');
      if (!registrationOpen(trip)) throw new InvitationRuleBroken('registration_not_open');
      if (dto.organisationId && dto.organisationId !== contact.partnerOrganisationId) {
        throw new ValidationFailed([
          {
            field: 'organisationId',
            message: 'must be the organisation the invitation names, or null',
          },
        ]);
      }
      const fields = sentFields(dto);
      delete fields.consent;
      const by = participantActor(origin);
      const participant = await this.participants.enrol(
        manager,
        trip,
        contact.id,
        { ...fields, role: 'member', consentAt: new Date() },
        by,
      );
      // Enrolling accepted the invitation (and stopped its reminder) and wrote the
      // acknowledgement, in this transaction (subscribers of the participant's creation).
      await this.changes.record(manager, by, {
        tenantId: trip.tenantId,
        action: 'invitation.accepted',
        subject: INVITATION,
        id: row.id,
        changes: { status: { before: row.status, after: 'accepted' } },
      });
      const registrationToken = this.tokens.sign(
        'registration',
        participant.id,
        participant.accessNonce!,
      );
      // Answered from this transaction: the new participant as written, and no travel document.
      const view = await this.registrationView(manager, { ...opened, row: participant }, false);
      return { ...view, registrationToken };
    });
  }

  /** A trip open to anyone (`open` mode), as anyone may see it. */
  async openTrip(publicId: string): Promise<PublicOpenTripDto> {
    return this.dataSource.transaction(async (manager) => {
      const { trip, tenant } = await this.openTripOrFail(manager, publicId, false);
      return { agency: agencyView(tenant), trip: await this.tripView(manager, trip) };
    });
  }

  /**
   * Someone registers themselves for an open trip: the agency's contact with
   * that address (else a new one) is enrolled as for staff, and the status
   * email with the self-service link goes to that address, in the same
   * transaction. Whoever typed the address learns nothing: someone on the
   * trip already changes nothing and gets the same answer (their link is in
   * the mails they have), so the form tells no one who is registered.
   */
  async registerOpen(publicId: string, dto: OpenRegistrationDto, origin: Origin): Promise<void> {
    const { title, firstName, lastName, email, preferredLanguage, ...fields } = sentFields(dto);
    delete fields.consent;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dataSource.transaction(async (manager) => {
          const { trip } = await this.openTripOrFail(manager, publicId, true);
          if (!registrationOpen(trip)) throw new InvitationRuleBroken('registration_not_open');
          await this.participants.enrolByEmail(
            manager,
            trip,
            { title, firstName, lastName: lastName!, email: email!, preferredLanguage },
            { ...fields, role: 'member', consentAt: new Date() },
            participantActor(origin),
          );
        });
        return;
      } catch (error) {
        // Two first registrations with one new address at once: the second finds the contact.
        if (attempt === 1 && isUniqueViolation(error, 'UQ_contacts_tenant_email')) continue;
        throw error;
      }
    }
  }

  private async openTripOrFail(manager: EntityManager, publicId: string, lock: boolean) {
    const opened = await this.links.openTrip(manager, publicId, lock);
    if (!opened) throw new LinkNotFound();
    return opened;
  }

  async decline(token: string, origin: Origin): Promise<PublicInvitationDto> {
    await this.dataSource.transaction(async (manager) => {
      const { row, trip } = await this.openInvitation(manager, token, true);
      if (row.status === 'declined') return;
      if (row.status !== 'pending') throw new InvitationRuleBroken('invitation_answered_already');
      Object.assign(row, { status: 'declined', answeredAt: new Date() });
      await manager.save(row);
      await this.outbox.cancel(manager, trip.tenantId, {
        subject: { type: 'invitation', id: row.id },
      });
      await this.changes.record(manager, participantActor(origin), {
        tenantId: trip.tenantId,
        action: 'invitation.declined',
        subject: INVITATION,
        id: row.id,
        changes: { status: { before: 'pending', after: 'declined' } },
      });
    });
    return this.invitation(token);
  }

  async registration(token: string): Promise<PublicRegistrationViewDto> {
    return this.dataSource.transaction(async (manager) => {
      const opened = await this.openRegistration(manager, token, false);
      return this.registrationView(manager, opened);
    });
  }

  /** The participant corrects their registration (and passport) until registration closes. */
  async updateRegistration(
    token: string,
    dto: PublicRegistrationUpdateDto,
    origin: Origin,
    expectedVersion?: number,
  ): Promise<PublicRegistrationViewDto> {
    return this.dataSource.transaction(async (manager) => {
      const opened = await this.openRegistration(manager, token, true);
      const { row: participant, trip, tenant } = opened;
      assertEditable(trip, participant);
      assertVersion(expectedVersion, participant.version);
      const { travelDocument, ...fields } = sentFields(dto);
      const by = participantActor(origin);
      await this.participants.correct(manager, participant, fields, by);
      if (travelDocument) {
        await this.travelDocuments
          .store(
            manager,
            { trip, tenant, participantId: participant.id },
            travelDocument,
            by,
            false,
          )
          .catch((error: unknown) => {
            // Its rules name the document's own fields; here the document is `travelDocument`.
            if (!(error instanceof ValidationFailed)) throw error;
            throw new ValidationFailed(
              error.errors.map((e) => ({ ...e, field: `travelDocument.${e.field}` })),
            );
          });
      }
      return this.registrationView(manager, opened);
    });
  }

  /** The participant withdraws: the seat frees and the waitlist moves up, in one transaction. */
  async cancel(token: string, origin: Origin): Promise<PublicRegistrationViewDto> {
    return this.dataSource.transaction(async (manager) => {
      const opened = await this.openRegistration(manager, token, true);
      const { row: participant, trip } = opened;
      if (participant.status !== 'cancelled') {
        assertEditable(trip, participant);
        await this.participants.move(
          manager,
          trip,
          participant,
          'cancelled',
          participantActor(origin),
        );
      }
      return this.registrationView(manager, opened);
    });
  }

  /**
   * The invitation a token opens, with its trip (locked when `lock`, as
   * registering decides a seat), agency and contact. Everything that is not
   * a live invitation is the same 404.
   */
  private async openInvitation(
    manager: EntityManager,
    token: string,
    lock: boolean,
  ): Promise<Opened<Invitation>> {
    const opened = await this.verified(manager, Invitation, 'invitation', token, lock);
    if (!opened || opened.row.status === 'revoked' || !invitationsOpen(opened.trip)) {
      throw new LinkNotFound();
    }
    return opened;
  }

  /** A registration's token works until the trip is over or cancelled. */
  private async openRegistration(
    manager: EntityManager,
    token: string,
    lock: boolean,
  ): Promise<Opened<Participant>> {
    const opened = await this.verified(manager, Participant, 'registration', token, lock);
    if (!opened || opened.trip.status === 'completed' || opened.trip.status === 'cancelled') {
      throw new LinkNotFound();
    }
    return opened;
  }

  /**
   * What a token opens (see `PublicLinksRepository.opened`), if its
   * signature holds for the row's current nonce: a link renewed meanwhile
   * died with the old nonce.
   */
  private async verified<T extends Invitation | Participant>(
    manager: EntityManager,
    entity: new () => T,
    purpose: TokenPurpose,
    token: string,
    lock: boolean,
  ): Promise<Opened<T> | null> {
    const id = this.tokens.idOf(token);
    if (!id) return null;
    const opened = await this.links.opened(manager, entity, id, lock);
    const nonce =
      opened &&
      (opened.row instanceof Participant ? opened.row.accessNonce : opened.row.tokenNonce);
    return opened && nonce && this.tokens.verify(token, purpose, id, nonce) ? opened : null;
  }

  /** `withDocument` false: a registration made in this transaction, which has none yet. */
  private async registrationView(
    manager: EntityManager,
    { row, trip, tenant, contact }: Opened<Participant>,
    withDocument = true,
  ): Promise<PublicRegistrationViewDto> {
    // The feed and the programme page end with the participation (cancelled or rejected).
    const ended = ENDED.includes(row.status);
    const itineraryToken = this.tokens.sign('itinerary', row.id, row.accessNonce!);
    return {
      status: row.status,
      waitlistPosition: row.waitlistPosition,
      category: row.category,
      organisation: await this.links.organisation(manager, row.organisationId),
      dietaryNeeds: row.dietaryNeeds,
      accessibilityNeeds: row.accessibilityNeeds,
      arrival: row.arrival,
      departure: row.departure,
      visaRequired: row.visaRequired,
      answers: row.answers,
      consentAt: row.consentAt,
      travelDocument: withDocument
        ? await this.travelDocuments.masked(manager, trip, tenant, row.id)
        : null,
      version: row.version,
      editable: EDITABLE.includes(row.status) && invitationsOpen(trip),
      calendarFeed: ended ? null : itineraryFeedUrl(this.config.PUBLIC_BASE_URL, itineraryToken),
      itinerary: ended ? null : `${this.config.PUBLIC_BASE_URL}/itineraries/${itineraryToken}`,
      language: languageOf(contact, tenant),
      participant: { firstName: contact.firstName, lastName: contact.lastName },
      agency: agencyView(tenant),
      trip: await this.tripView(manager, trip),
    };
  }

  private async tripView(manager: EntityManager, trip: Trip): Promise<PublicTripDto> {
    const stations = await this.links.stations(manager, trip.id);
    return {
      title: trip.title,
      kind: trip.kind,
      description: trip.description,
      startDate: trip.startDate,
      endDate: trip.endDate,
      countries: trip.countries,
      stations: stations.map(({ city, country, timezone, arrivalDate, departureDate }) => ({
        city,
        country,
        timezone,
        arrivalDate,
        departureDate,
      })),
      registrationOpensAt: trip.registrationOpensAt,
      registrationClosesAt: trip.registrationClosesAt,
      registrationOpen: registrationOpen(trip),
      approvalRequired: trip.approvalRequired,
    };
  }
}

/** The language we write to someone in: theirs if we write in it, else the agency's. */
function languageOf(contact: Contact, tenant: Tenant): Locale {
  return (LOCALES as readonly string[]).includes(contact.preferredLanguage ?? '')
    ? (contact.preferredLanguage as Locale)
    : tenant.defaultLocale;
}

function agencyView(tenant: Tenant): PublicAgencyDto {
  return {
    name: tenant.name,
    timezone: tenant.timezone,
    logoUrl: tenant.logoUrl,
    accentColor: tenant.accentColor,
    privacyNotice: tenant.privacyNotice,
  };
}

/** Registering is possible: the trip is open for registration and inside its window. */
function registrationOpen(trip: Trip, now = new Date()): boolean {
  return (
    trip.status === 'registration_open' &&
    (!trip.registrationOpensAt || trip.registrationOpensAt <= now) &&
    invitationsOpen(trip, now)
  );
}

function assertEditable(trip: Trip, participant: Participant): void {
  if (!invitationsOpen(trip)) throw new InvitationRuleBroken('registration_closed');
  if (!EDITABLE.includes(participant.status)) {
    throw new InvitationRuleBroken('registration_final', {
      participantStatus: participant.status,
    });
  }
}
