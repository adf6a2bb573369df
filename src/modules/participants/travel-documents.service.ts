import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { assertVersion } from '../../common/etag/etag.js';
import {
  NotFound,
  PreconditionFailed,
  ValidationFailed,
} from '../../common/problem/domain-error.js';
import { auditActor, type AuditActor } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import { allows } from '../identity/access/permissions.js';
import type { Tenant } from '../identity/entities/tenant.entity.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import type { PutTravelDocumentDto, TravelDocumentDto } from './dto/travel-document.dto.js';
import { ContactErased } from '../directory/directory.errors.js';
import { Participant } from './entities/participant.entity.js';
import { TravelDocument } from './entities/travel-document.entity.js';
import { openPassportNumber, sealPassportNumber } from './passport-numbers.js';
import { ParticipantsRepository } from './participants.repository.js';
import { PARTICIPANT } from './participants.subjects.js';
import { Changes, diff } from '../audit/changes.js';

const WHAT = 'travel document';

/** `2022-10-02` plus 6 months is `2023-04-02` (clamped to the month's last day). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0));
  target.setUTCDate(Math.min(day, lastDay.getUTCDate()));
  return target.toISOString().slice(0, 10);
}

/** `C01X00T47` → `*****0T47`: enough to tell documents apart, not enough to use one. */
export function maskPassportNumber(number: string): string {
  return '*'.repeat(Math.max(0, number.length - 4)) + number.slice(-4);
}

/**
 * Passports of participants. The number is sealed before it reaches the
 * database and opened only for a response; reading it in full is allowed to
 * `pii:read` callers and audited each time.
 */
@Injectable()
export class TravelDocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly participants: ParticipantsRepository,
    private readonly changes: Changes,
  ) {}

  async get(actor: Actor, tripId: string, participantId: string): Promise<TravelDocumentDto> {
    return this.dataSource.transaction(async (manager) => {
      const { trip, tenant } = await this.findParticipant(manager, actor, tripId, participantId);
      const document = await manager.findOneBy(TravelDocument, {
        tenantId: actor.tenantId,
        participantId,
      });
      if (!document) throw new NotFound(WHAT);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'travel_document.read',
        subject: PARTICIPANT,
        id: participantId,
      });
      return this.toDto(document, trip, tenant, true);
    });
  }

  /** Creates or replaces the document (If-Match applies to a replacement). */
  async put(
    actor: Actor,
    tripId: string,
    participantId: string,
    dto: PutTravelDocumentDto,
    expectedVersion?: number,
  ): Promise<TravelDocumentDto> {
    return this.dataSource.transaction(async (manager) => {
      const { trip, tenant, participant } = await this.findParticipant(
        manager,
        actor,
        tripId,
        participantId,
        true,
      );
      if (participant.contact?.erasedAt) throw new ContactErased();
      return this.store(
        manager,
        { trip, tenant, participantId },
        dto,
        auditActor(actor),
        allows(actor, 'pii:read'),
        expectedVersion,
      );
    });
  }

  /**
   * Creates or replaces a participant's document in the caller's
   * transaction (the participant locked): staff through the API, the
   * participant through their self-service link.
   */
  async store(
    manager: EntityManager,
    { trip, tenant, participantId }: { trip: Trip; tenant: Tenant; participantId: string },
    dto: PutTravelDocumentDto,
    by: AuditActor,
    showNumber: boolean,
    expectedVersion?: number,
  ): Promise<TravelDocumentDto> {
    if (dto.issuedOn && dto.issuedOn > dto.expiresOn) {
      throw new ValidationFailed([{ field: 'expiresOn', message: 'must not be before issuedOn' }]);
    }
    const existing = await manager.findOne(TravelDocument, {
      where: { tenantId: tenant.id, participantId },
      lock: { mode: 'pessimistic_write' },
    });
    // An If-Match names a version that was read; if the document is gone since, that is stale too.
    if (existing) assertVersion(expectedVersion, existing.version);
    else if (expectedVersion !== undefined) throw new PreconditionFailed();
    const before = existing ? this.plain(existing) : {};
    const sealed = sealPassportNumber(this.cipher, dto.passportNumber, participantId);
    const document =
      existing ?? manager.create(TravelDocument, { tenantId: tenant.id, participantId });
    Object.assign(document, {
      passportNumberSealed: sealed.data,
      keyId: sealed.keyId,
      nationality: dto.nationality,
      issuingCountry: dto.issuingCountry,
      issuedOn: dto.issuedOn ?? null,
      expiresOn: dto.expiresOn,
    });
    const changes = diff(before, { ...dto, issuedOn: dto.issuedOn ?? null });
    if (changes) {
      await manager.save(document);
      await this.changes.record(manager, by, {
        tenantId: tenant.id,
        action: existing ? 'travel_document.updated' : 'travel_document.created',
        subject: PARTICIPANT,
        id: participantId,
        changes,
      });
    }
    return this.toDto(document, trip, tenant, showNumber);
  }

  /** The document with its number masked, for the participant's own page; null when none. */
  async masked(
    manager: EntityManager,
    trip: Trip,
    tenant: Tenant,
    participantId: string,
  ): Promise<TravelDocumentDto | null> {
    const document = await manager.findOneBy(TravelDocument, {
      tenantId: tenant.id,
      participantId,
    });
    return document && this.toDto(document, trip, tenant, false);
  }

  async delete(
    actor: Actor,
    tripId: string,
    participantId: string,
    expectedVersion?: number,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.findParticipant(manager, actor, tripId, participantId, true);
      const document = await manager.findOne(TravelDocument, {
        where: { tenantId: actor.tenantId, participantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!document) throw new NotFound(WHAT);
      assertVersion(expectedVersion, document.version);
      await manager.delete(TravelDocument, { participantId });
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'travel_document.deleted',
        subject: PARTICIPANT,
        id: participantId,
      });
    });
  }

  /** The participant (locked for writes), their trip and the tenant's margin; 404 across tenants. */
  private async findParticipant(
    manager: EntityManager,
    actor: Actor,
    tripId: string,
    participantId: string,
    lock = false,
  ): Promise<{ trip: Trip; tenant: Tenant; participant: Participant }> {
    const participant = await manager.findOne(Participant, {
      where: { tenantId: actor.tenantId, tripId, id: participantId },
      relations: { contact: true },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const, tables: ['participants'] } } : {}),
    });
    if (!participant) throw new NotFound('participant');
    return {
      ...(await this.participants.tripAndAgency(manager, actor.tenantId, tripId)),
      participant,
    };
  }

  private plain(document: TravelDocument): Partial<PutTravelDocumentDto> {
    return {
      passportNumber: openPassportNumber(this.cipher, {
        participantId: document.participantId,
        keyId: document.keyId,
        sealed: document.passportNumberSealed,
      }),
      nationality: document.nationality,
      issuingCountry: document.issuingCountry,
      issuedOn: document.issuedOn,
      expiresOn: document.expiresOn,
    };
  }

  private toDto(
    document: TravelDocument,
    trip: Trip,
    tenant: Tenant,
    showNumber: boolean,
  ): TravelDocumentDto {
    const number = this.plain(document).passportNumber ?? '';
    const validityRequiredUntil = addMonths(trip.endDate, tenant.passportValidityMarginMonths);
    return {
      participantId: document.participantId,
      passportNumber: showNumber ? number : maskPassportNumber(number),
      nationality: document.nationality,
      issuingCountry: document.issuingCountry,
      issuedOn: document.issuedOn,
      expiresOn: document.expiresOn,
      validityRequiredUntil,
      expiryWarning: document.expiresOn < validityRequiredUntil,
      createdAt: document.createdAt,
      updatedAt: document.updatedAt,
      version: document.version,
    };
  }
}
