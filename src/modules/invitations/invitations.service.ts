import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFound } from '../../common/problem/domain-error.js';
import { auditActor } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import { RateLimits } from '../identity/rate-limits.js';
import { Outbox } from '../notifications/outbox.js';
import { TripsRepository } from '../trips/trips.repository.js';
import type {
  CreateInvitationsDto,
  InvitationDto,
  InviteReportDto,
  InviteResultDto,
  ListInvitationsQuery,
} from './dto/invitation.dto.js';
import { Invitation } from './entities/invitation.entity.js';
import { invitationsOpen, invitationStatus, type InviteOutcome } from './invitations.constants.js';
import { InvitationsRepository, type Invitee, type TripTerms } from './invitations.repository.js';
import { invitationEmail } from './invitation.messages.js';
import { InvitationRuleBroken } from './invitations.errors.js';
import { TRIP } from '../trips/trips.subjects.js';
import { INVITATION } from './invitations.subjects.js';
import { Changes } from '../audit/changes.js';

export function invitationDto(invitation: Invitation, trip: TripTerms): InvitationDto {
  return {
    id: invitation.id,
    tripId: invitation.tripId,
    contactId: invitation.contactId,
    email: invitation.email,
    status: invitationStatus(invitation, trip),
    message: invitation.message,
    sendCount: invitation.sendCount,
    lastSentAt: invitation.lastSentAt,
    answeredAt: invitation.answeredAt,
    expiresAt: trip.registrationClosesAt,
    participantId: invitation.participantId,
    createdAt: invitation.createdAt,
    updatedAt: invitation.updatedAt,
    version: invitation.version,
  };
}

/** What inviting this contact does; only `invited` sends anything. */
function outcomeFor(invitee: Invitee | undefined): InviteOutcome {
  if (!invitee) return 'unknown_contact';
  if (invitee.erased) return 'erased';
  if (invitee.registered || invitee.invitation_status === 'accepted') return 'already_registered';
  if (invitee.invitation_status === 'pending') return 'already_invited';
  if (invitee.invitation_status === 'declined') return 'declined_before';
  return invitee.email ? 'invited' : 'no_email';
}

/** Staff inviting contacts to a trip, resending and revoking. */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly trips: TripsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly outbox: Outbox,
    private readonly changes: Changes,
    private readonly rateLimits: RateLimits,
  ) {}

  /**
   * Invites each contact once, in one transaction with its email (outbox).
   * Whoever cannot or need not be invited is reported, not an error: already
   * invited or registered, declined, without address, erased, unknown. A
   * revoked invitation is renewed with a new link.
   */
  async invite(actor: Actor, tripId: string, dto: CreateInvitationsDto): Promise<InviteReportDto> {
    const contactIds = [...new Set(dto.contactIds)];
    return this.dataSource.transaction(async (manager) => {
      const trip = await this.trips.lockInTenant(manager, actor.tenantId, tripId);
      if (!trip) throw new NotFound('trip');
      if (!invitationsOpen(trip)) throw new InvitationRuleBroken('trip_not_inviting');
      const invitees = new Map(
        (await this.invitations.invitees(manager, trip, contactIds)).map((row) => [row.id, row]),
      );
      const results: InviteResultDto[] = [];
      const fresh: string[] = [];
      const renewed: string[] = [];
      for (const contactId of contactIds) {
        const invitee = invitees.get(contactId);
        const outcome = outcomeFor(invitee);
        if (outcome === 'invited') (invitee?.invitation_id ? renewed : fresh).push(contactId);
        results.push({ contactId, outcome, invitationId: invitee?.invitation_id ?? null });
      }
      const sent = await this.invitations.atCurrentAddress(
        manager,
        trip,
        { fresh, renewed },
        dto.message ?? null,
      );
      const byContact = new Map(sent.map((invitation) => [invitation.contactId, invitation]));
      for (const result of results) {
        const invitation = byContact.get(result.contactId);
        if (invitation) result.invitationId = invitation.id;
        // Lost a race with a concurrent request inviting the same contact.
        else if (result.outcome === 'invited') result.outcome = 'already_invited';
      }
      await this.outbox.add(
        manager,
        sent.map((invitation) => invitationEmail(invitation)),
      );
      if (sent.length > 0) {
        await this.changes.record(manager, auditActor(actor), {
          tenantId: actor.tenantId,
          action: 'trip.invitations_sent',
          subject: TRIP,
          id: trip.id,
          changes: { invitationIds: { before: null, after: sent.map((i) => i.id) } },
        });
      }
      return { invited: sent.length, results };
    });
  }

  async list(actor: Actor, tripId: string, query: ListInvitationsQuery) {
    const page = await this.invitations.page(actor.tenantId, tripId, query);
    // `expired` is a pending invitation of a trip whose registration has closed, so pending
    // and expired read the same rows; the trip's terms, the same on every row, tell which
    // they are: the whole page is what was asked for, or none of it is.
    const [first] = page.items;
    if (first && query.status && invitationStatus(first.invitation, first.trip) !== query.status) {
      return { items: [], nextCursor: null };
    }
    return {
      items: page.items.map(({ invitation, trip }) => invitationDto(invitation, trip)),
      nextCursor: page.nextCursor,
    };
  }

  async get(actor: Actor, tripId: string, id: string): Promise<InvitationDto> {
    const read = await this.invitations.one(actor.tenantId, tripId, id);
    if (!read) throw new NotFound('invitation');
    return invitationDto(read.invitation, read.trip);
  }

  /** Sends the invitation email again (same link), a few times a day at most. */
  async resend(actor: Actor, tripId: string, id: string): Promise<InvitationDto> {
    // Counted before any lock is taken: a slow counter never holds the invitation.
    await this.rateLimits.invitationResend(id);
    await this.dataSource.transaction(async (manager) => {
      const { trip, invitation } = await this.lock(manager, actor, tripId, id);
      if (invitationStatus(invitation, trip) !== 'pending') {
        throw new InvitationRuleBroken('invitation_not_pending');
      }
      invitation.sendCount += 1;
      invitation.lastSentAt = new Date();
      await manager.save(invitation);
      await this.outbox.add(manager, [invitationEmail(invitation)]);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'invitation.resent',
        subject: INVITATION,
        id: invitation.id,
        changes: { sendCount: { before: invitation.sendCount - 1, after: invitation.sendCount } },
      });
    });
    return this.get(actor, tripId, id);
  }

  /** The link stops working at once; unsent emails and the reminder are cancelled. */
  async revoke(actor: Actor, tripId: string, id: string): Promise<InvitationDto> {
    await this.dataSource.transaction(async (manager) => {
      const { invitation } = await this.lock(manager, actor, tripId, id);
      if (invitation.status === 'revoked') return;
      if (invitation.status !== 'pending') throw new InvitationRuleBroken('invitation_answered');
      invitation.status = 'revoked';
      await manager.save(invitation);
      await this.outbox.cancel(manager, actor.tenantId, {
        subject: { type: 'invitation', id: invitation.id },
      });
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'invitation.revoked',
        subject: INVITATION,
        id: invitation.id,
        changes: { status: { before: 'pending', after: 'revoked' } },
      });
    });
    return this.get(actor, tripId, id);
  }

  private async lock(manager: EntityManager, actor: Actor, tripId: string, id: string) {
    const trip = await this.trips.findInTenant(actor.tenantId, tripId, manager);
    const invitation =
      trip &&
      (await manager.findOne(Invitation, {
        where: { tenantId: actor.tenantId, tripId, id },
        lock: { mode: 'pessimistic_write' },
      }));
    if (!trip || !invitation) throw new NotFound('invitation');
    return { trip, invitation };
  }
}
