import { Injectable, type OnModuleInit } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { PersonalData } from '../../common/personal-data/personal-data.js';
import { AuditService } from '../audit/audit.service.js';
import { ParticipantDto } from './dto/participant.dto.js';
import { Participant } from './entities/participant.entity.js';
import { TravelDocument } from './entities/travel-document.entity.js';
import { openPassportNumber } from './passport-numbers.js';

/**
 * A participation holds a person's needs, answers and notes, and their
 * passport. Erasure keeps the participation as a statistic (trip, role,
 * category, status, dates) and deletes the passport.
 */
@Injectable()
export class ParticipantsPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalData,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'participants',
      personal: {
        participants: [
          'dietary_needs',
          'accessibility_needs',
          'arrival',
          'departure',
          'notes',
          'answers',
        ],
        travel_documents: ['passport_number_sealed', 'nationality', 'issuing_country'],
      },
      notPersonal: {
        participants: ['role', 'category', 'status', 'visa_status', 'counted_status'],
        travel_documents: ['key_id'],
        trip_participant_counts: ['status'],
      },
      export: (manager, tenantId, contactId) => this.export(manager, tenantId, contactId),
      erase: (manager, tenantId, contactId) => this.erase(manager, tenantId, contactId),
    });
  }

  private async export(manager: EntityManager, tenantId: string, contactId: string) {
    const participations = await manager.find(Participant, {
      where: { tenantId, contactId },
      relations: { trip: true },
      order: { registeredAt: 'ASC', id: 'ASC' },
    });
    const documents = await manager.findBy(TravelDocument, {
      participantId: In(participations.map((p) => p.id)),
    });
    const documentOf = new Map(documents.map((document) => [document.participantId, document]));
    return {
      participations: participations.map((participant) => {
        const document = documentOf.get(participant.id);
        const trip = participant.trip!;
        return {
          ...ParticipantDto.from(participant),
          trip: {
            id: trip.id,
            title: trip.title,
            startDate: trip.startDate,
            endDate: trip.endDate,
          },
          travelDocument: document
            ? {
                passportNumber: openPassportNumber(this.cipher, {
                  participantId: document.participantId,
                  keyId: document.keyId,
                  sealed: document.passportNumberSealed,
                }),
                nationality: document.nationality,
                issuingCountry: document.issuingCountry,
                issuedOn: document.issuedOn,
                expiresOn: document.expiresOn,
              }
            : null,
        };
      }),
    };
  }

  private async erase(manager: EntityManager, tenantId: string, contactId: string) {
    const participations = await manager.find(Participant, {
      select: { id: true },
      where: { tenantId, contactId },
      lock: { mode: 'pessimistic_write' },
    });
    const ids = participations.map((p) => p.id);
    if (ids.length === 0) return;
    await manager.update(
      Participant,
      { id: In(ids) },
      {
        dietaryNeeds: null,
        accessibilityNeeds: null,
        arrival: null,
        departure: null,
        notes: null,
        answers: {},
      },
    );
    await manager.delete(TravelDocument, { participantId: In(ids) });
    // What passport changes said (participants' other personal fields were redacted).
    await this.audit.forgetChanges(manager, tenantId, 'participant', ids, 'travel_document.');
  }
}
