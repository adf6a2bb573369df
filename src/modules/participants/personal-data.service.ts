import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { NotFound } from '../../common/problem/domain-error.js';
import { auditActor, AuditService } from '../audit/audit.service.js';
import { ContactDto } from '../directory/dto/contact.dto.js';
import { Contact } from '../directory/entities/contact.entity.js';
import type { Actor } from '../identity/access/actor.js';
import { Invitation } from '../invitations/entities/invitation.entity.js';
import { NotificationDto } from '../notifications/dto/notification.dto.js';
import { Notification } from '../notifications/entities/notification.entity.js';
import { ERASED_ADDRESS, Outbox } from '../notifications/outbox.js';
import { QueueName } from '../../queue/jobs.js';
import { Queues } from '../../queue/queues.js';
import { ParticipantDto } from './dto/participant.dto.js';
import type { PersonalDataDto } from './dto/personal-data.dto.js';
import { Participant } from './entities/participant.entity.js';
import { TravelDocument } from './entities/travel-document.entity.js';
import { openPassportNumber } from './passport-numbers.js';
import { ContactsService } from '../directory/contacts.service.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { CONTACT } from '../directory/directory.subjects.js';
import { Changes } from '../audit/changes.js';

/**
 * The data-subject rights of a person in the directory: a complete export
 * of what is held about them, and erasure that keeps statistics (a business
 * participant from organisation X attended trip Y) but nothing identifying.
 */
@Injectable()
export class PersonalDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditService,
    private readonly changes: Changes,
    private readonly outbox: Outbox,
    private readonly queues: Queues,
    private readonly contacts: ContactsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async export(actor: Actor, contactId: string): Promise<PersonalDataDto> {
    return this.dataSource.transaction(async (manager) => {
      const contact = await manager.findOneBy(Contact, { tenantId: actor.tenantId, id: contactId });
      if (!contact) throw new NotFound('contact');
      const participations = await manager.find(Participant, {
        where: { tenantId: actor.tenantId, contactId },
        relations: { trip: true },
        order: { registeredAt: 'ASC', id: 'ASC' },
      });
      const documents = await this.documentsOf(manager, participations);
      const invitations = await manager.find(Invitation, {
        where: { tenantId: actor.tenantId, contactId },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      const messages = await manager.find(Notification, {
        where: { tenantId: actor.tenantId, contactId },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'contact.personal_data_exported',
        subject: CONTACT,
        id: contactId,
      });
      return {
        contact: ContactDto.from(contact),
        participations: participations.map((participant) => {
          const document = documents.get(participant.id);
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
        invitations: invitations.map((invitation) => ({
          id: invitation.id,
          tripId: invitation.tripId,
          email: invitation.email,
          status: invitation.status,
          message: invitation.message,
          sendCount: invitation.sendCount,
          lastSentAt: invitation.lastSentAt,
          answeredAt: invitation.answeredAt,
        })),
        messages: messages.map((message) => NotificationDto.from(message)),
        exportedAt: new Date(),
      };
    });
  }

  /**
   * Anonymises the person everywhere, in one transaction: the contact keeps
   * its organisation and an `[erased]` name; participations keep trip, role,
   * category, status and dates but lose needs, answers and notes; travel
   * documents are deleted; audit diffs and stored idempotent replies that
   * held their data are emptied. Erasing twice changes nothing more.
   */
  async erase(actor: Actor, contactId: string, expectedVersion?: number): Promise<Contact> {
    const { contact, messageIds } = await this.eraseInDatabase(actor, contactId, expectedVersion);
    // Queue jobs carry ids only; dropping them just saves the worker a look (it would skip
    // them), so the answer does not wait for Redis. A job a worker holds stays.
    const queue = this.queues.get(QueueName.Notifications);
    void Promise.allSettled(messageIds.map((id) => queue.remove(id)));
    return contact;
  }

  private eraseInDatabase(actor: Actor, contactId: string, expectedVersion?: number) {
    return this.dataSource.transaction(async (manager) => {
      const { contact, erasedNow } = await this.contacts.eraseInTransaction(
        manager,
        actor.tenantId,
        contactId,
        expectedVersion,
      );
      if (!erasedNow) return { contact, messageIds: [] };
      const participations = await manager.find(Participant, {
        select: { id: true },
        where: { tenantId: actor.tenantId, contactId },
        lock: { mode: 'pessimistic_write' },
      });
      const participantIds = participations.map((p) => p.id);
      if (participantIds.length > 0) {
        await manager.update(
          Participant,
          { id: In(participantIds) },
          {
            dietaryNeeds: null,
            accessibilityNeeds: null,
            arrival: null,
            departure: null,
            notes: null,
            answers: {},
          },
        );
        await manager.delete(TravelDocument, { participantId: In(participantIds) });
        await this.audit.forgetChanges(
          manager,
          actor.tenantId,
          'participant',
          participantIds,
          'travel_document.',
        );
      }
      // Invitations keep trip and status, not the address or the personal note; none stays open.
      await manager.query(
        `UPDATE invitations
            SET email = $3, message = NULL,
                status = CASE WHEN status = 'pending' THEN 'revoked' ELSE status END,
                version = version + 1, updated_at = now()
          WHERE tenant_id = $1 AND contact_id = $2`,
        [actor.tenantId, contactId, ERASED_ADDRESS],
      );
      const messageIds = await this.outbox.eraseRecipient(manager, actor.tenantId, contactId);
      // Audit diffs of the contact held names and addresses (participants' were redacted).
      await this.audit.forgetChanges(manager, actor.tenantId, 'contact', [contactId]);
      // Replies kept for Idempotency-Key replays (kept a day) may hold the contact as it was.
      await this.idempotency.forgetRepliesMentioning(manager, contactId);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'contact.erased',
        subject: CONTACT,
        id: contactId,
        changes: {
          participations: { before: null, after: participantIds.length },
        },
      });
      return { contact, messageIds };
    });
  }

  private async documentsOf(
    manager: EntityManager,
    participations: Participant[],
  ): Promise<Map<string, TravelDocument>> {
    if (participations.length === 0) return new Map();
    const documents = await manager.findBy(TravelDocument, {
      participantId: In(participations.map((p) => p.id)),
    });
    return new Map(documents.map((document) => [document.participantId, document]));
  }
}
