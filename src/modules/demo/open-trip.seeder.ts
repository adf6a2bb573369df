import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../identity/access/actor.js';
import { Tenant } from '../identity/entities/tenant.entity.js';
import { Invitation } from '../invitations/entities/invitation.entity.js';
import { invitationsOpen } from '../invitations/invitations.constants.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { PublicTokens } from '../../common/links/public-tokens.js';
import { PublicService } from '../invitations/public.service.js';
import { Participant } from '../participants/entities/participant.entity.js';
import { TravelDocument } from '../participants/entities/travel-document.entity.js';
import { ParticipantsService } from '../participants/participants.service.js';
import { addMonths, TravelDocumentsService } from '../participants/travel-documents.service.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import {
  INVITATION_NOTE,
  OPEN_TRIP_INVITATIONS,
  OPEN_TRIP_PARTICIPANTS,
  passportDates,
} from './demo-data.js';

/** A demo contact's id by its key in demo-data.ts. */
type ContactId = (key: string) => string;

/** What one run added to the open trip. */
export interface DelegationAdded {
  invitations: number;
  participants: number;
  travelDocuments: number;
}

/** What the trip's own figures leave out, for the summary. */
export interface DelegationState {
  /** Confirmed staff (who take no seat). */
  staff: number;
  invitations: Record<string, number>;
  travelDocuments: number;
  expiringPassports: number;
  marginMonths: number;
}

/**
 * Invitations, registrations, staff decisions and passports of the demo's
 * open trip, each made the way the product makes it (so the audit trail and
 * the outbox hold what real use leaves there): staff invite, revoke, add
 * and approve through the services behind the API; invitees register and
 * decline through their links. Each step looks at what is there first, so
 * a second run adds only what is missing and never acts twice.
 */
@Injectable()
export class OpenTripSeeder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly invitations: InvitationsService,
    private readonly links: PublicService,
    private readonly tokens: PublicTokens,
    private readonly participants: ParticipantsService,
    private readonly travelDocuments: TravelDocumentsService,
  ) {}

  async seed(
    actor: Actor,
    trip: Trip,
    contactIds: Map<string, string>,
    today: string,
  ): Promise<DelegationAdded> {
    // A trip found from an earlier run whose deadline has passed takes no more registrations.
    if (trip.status !== 'registration_open' || !invitationsOpen(trip)) {
      return { invitations: 0, participants: 0, travelDocuments: 0 };
    }
    const id = (key: string) => contactIds.get(key) ?? '';
    const invitations = await this.invite(actor, trip, id);
    await this.answer(actor, trip, id);
    const participants = await this.register(actor, trip, id);
    await this.decide(actor, trip, id);
    const travelDocuments = await this.filePassports(actor, trip, id, today);
    return { invitations, participants, travelDocuments };
  }

  /** Staff invite everyone who comes through a link or answers otherwise, unless invited or on the trip already. */
  private async invite(actor: Actor, trip: Trip, id: ContactId): Promise<number> {
    const invited = await this.invitationsByContact(trip);
    const onTrip = await this.participantsByContact(trip);
    const uninvited = [
      ...OPEN_TRIP_PARTICIPANTS.filter((plan) => plan.via === 'link'),
      ...OPEN_TRIP_INVITATIONS,
    ]
      .map((plan) => id(plan.contact))
      .filter((contactId) => !invited.has(contactId) && !onTrip.has(contactId));
    if (uninvited.length === 0) return 0;
    const report = await this.invitations.invite(actor, trip.id, {
      contactIds: uninvited,
      message: INVITATION_NOTE,
    });
    return report.invited;
  }

  /** One invitee declines through the link; staff revoke another invitation. */
  private async answer(actor: Actor, trip: Trip, id: ContactId): Promise<void> {
    const invited = await this.invitationsByContact(trip);
    for (const { contact, outcome } of OPEN_TRIP_INVITATIONS) {
      const invitation = invited.get(id(contact));
      if (invitation?.status !== 'pending') continue;
      if (outcome === 'revoked') await this.invitations.revoke(actor, trip.id, invitation.id);
      if (outcome === 'declined') await this.links.decline(this.link(invitation), actor.origin);
    }
  }

  /** Staff add the lead and their colleague; invitees register through their links. */
  private async register(actor: Actor, trip: Trip, id: ContactId): Promise<number> {
    const invited = await this.invitationsByContact(trip);
    const onTrip = await this.participantsByContact(trip);
    let added = 0;
    for (const plan of OPEN_TRIP_PARTICIPANTS) {
      const contactId = id(plan.contact);
      if (onTrip.has(contactId)) continue;
      const fields = {
        category: plan.category,
        visaRequired: plan.visaRequired,
        dietaryNeeds: plan.dietaryNeeds,
      };
      if (plan.via === 'staff') {
        await this.participants.create(actor, trip.id, { contactId, role: plan.role, ...fields });
      } else {
        const invitation = invited.get(contactId);
        // Declined or revoked since (someone trying the demo): their answer stands.
        if (invitation?.status !== 'pending') continue;
        const registration = { ...fields, consent: true as const };
        await this.links.register(this.link(invitation), registration, actor.origin);
      }
      added += 1;
    }
    return added;
  }

  /**
   * Staff approve applications in arrival order (the first take the seats,
   * the others join the waiting list) and note where visas stand.
   */
  private async decide(actor: Actor, trip: Trip, id: ContactId): Promise<void> {
    const onTrip = await this.participantsByContact(trip);
    for (const plan of OPEN_TRIP_PARTICIPANTS) {
      const participant = onTrip.get(id(plan.contact));
      if (!participant) continue;
      if (plan.approve && participant.status === 'applied') {
        await this.participants.transition(actor, trip.id, participant.id, 'confirmed');
      }
      if (plan.visaStatus && participant.visaStatus === 'not_needed') {
        await this.participants.update(actor, trip.id, participant.id, {
          visaStatus: plan.visaStatus,
        });
      }
    }
  }

  /** Passport data of the confirmed travellers, sealed as staff entering it would have it. */
  private async filePassports(
    actor: Actor,
    trip: Trip,
    id: ContactId,
    today: string,
  ): Promise<number> {
    const { passportValidityMarginMonths: margin } = await this.tenant(actor);
    const onTrip = await this.participantsByContact(trip);
    const onFile = await this.documentsOf(trip);
    let added = 0;
    for (const plan of OPEN_TRIP_PARTICIPANTS) {
      const participant = onTrip.get(id(plan.contact));
      if (!plan.passport || participant?.status !== 'confirmed' || onFile.has(participant.id)) {
        continue;
      }
      await this.travelDocuments.put(actor, trip.id, participant.id, {
        passportNumber: plan.passport.number,
        nationality: 'DE',
        issuingCountry: 'DE',
        ...passportDates(plan.passport, today, trip.endDate, margin),
      });
      added += 1;
    }
    return added;
  }

  /** How the open trip's delegation stands now. */
  async state(actor: Actor, trip: Trip): Promise<DelegationState> {
    const participants = [...(await this.participantsByContact(trip)).values()];
    const invitations = [...(await this.invitationsByContact(trip)).values()];
    const { passportValidityMarginMonths: marginMonths } = await this.tenant(actor);
    const expiries = [...(await this.documentsOf(trip)).values()];
    const requiredUntil = addMonths(trip.endDate, marginMonths);
    const byStatus = (statuses: string[]) =>
      statuses.reduce<Record<string, number>>((counts, status) => {
        counts[status] = (counts[status] ?? 0) + 1;
        return counts;
      }, {});
    return {
      staff: participants.filter((p) => p.role === 'staff' && p.status === 'confirmed').length,
      invitations: byStatus(invitations.map((i) => i.status)),
      travelDocuments: expiries.length,
      expiringPassports: expiries.filter((expiresOn) => expiresOn < requiredUntil).length,
      marginMonths,
    };
  }

  /** The invitation link's token, as the invitation email carries it. */
  private link(invitation: Invitation): string {
    return this.tokens.sign('invitation', invitation.id, invitation.tokenNonce);
  }

  private tenant(actor: Actor): Promise<Tenant> {
    return this.dataSource.getRepository(Tenant).findOneByOrFail({ id: actor.tenantId });
  }

  private async invitationsByContact(trip: Trip): Promise<Map<string, Invitation>> {
    const rows = await this.dataSource
      .getRepository(Invitation)
      .findBy({ tenantId: trip.tenantId, tripId: trip.id });
    return new Map(rows.map((row) => [row.contactId, row]));
  }

  private async participantsByContact(trip: Trip): Promise<Map<string, Participant>> {
    const rows = await this.dataSource
      .getRepository(Participant)
      .findBy({ tenantId: trip.tenantId, tripId: trip.id });
    return new Map(rows.map((row) => [row.contactId, row]));
  }

  /** Expiry of the trip's travel documents, by participant. */
  private async documentsOf(trip: Trip): Promise<Map<string, string>> {
    const rows = await this.dataSource
      .getRepository(TravelDocument)
      .createQueryBuilder('d')
      .innerJoin(Participant, 'p', 'p.id = d.participant_id')
      .where('d.tenant_id = :tenantId AND p.trip_id = :tripId', {
        tenantId: trip.tenantId,
        tripId: trip.id,
      })
      .getMany();
    return new Map(rows.map((row) => [row.participantId, row.expiresOn]));
  }
}
