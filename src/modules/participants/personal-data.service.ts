import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PersonalData } from '../../common/personal-data/personal-data.js';
import { auditActor } from '../audit/audit.service.js';
import { Changes } from '../audit/changes.js';
import { ContactsService } from '../directory/contacts.service.js';
import { CONTACT } from '../directory/directory.subjects.js';
import type { Contact } from '../directory/entities/contact.entity.js';
import type { Actor } from '../identity/access/actor.js';
import type { PersonalDataDto } from './dto/personal-data.dto.js';
import { Participant } from './entities/participant.entity.js';

/**
 * The data-subject rights of a person in the directory: a complete export
 * of what is held about them, and erasure that keeps statistics (a business
 * participant from organisation X attended trip Y) but nothing identifying.
 * Each module that stores personal data says what it holds and how to
 * export and erase it (PersonalData); these rights ask all of them.
 */
@Injectable()
export class PersonalDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: PersonalData,
    private readonly changes: Changes,
    private readonly contacts: ContactsService,
  ) {}

  async export(actor: Actor, contactId: string): Promise<PersonalDataDto> {
    await this.contacts.get(actor, contactId); // 404 for another agency's or no contact
    return this.dataSource.transaction(async (manager) => {
      const sections: object[] = [];
      for (const holder of this.registry.holders()) {
        if (holder.export) sections.push(await holder.export(manager, actor.tenantId, contactId));
      }
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'contact.personal_data_exported',
        subject: CONTACT,
        id: contactId,
      });
      return { ...Object.assign({}, ...sections), exportedAt: new Date() } as PersonalDataDto;
    });
  }

  /**
   * Anonymises the person everywhere, in one transaction: the contact keeps
   * its organisation and an `[erased]` name; every module then erases what
   * it holds (participations keep trip, role, category, status and dates but
   * lose needs, answers and notes; travel documents are deleted; audit diffs
   * and stored idempotent replies that held their data are emptied).
   * Erasing twice changes nothing more.
   */
  async erase(actor: Actor, contactId: string, expectedVersion?: number): Promise<Contact> {
    const { contact, afterCommit } = await this.dataSource.transaction(async (manager) => {
      const { contact, erasedNow } = await this.contacts.eraseInTransaction(
        manager,
        actor.tenantId,
        contactId,
        expectedVersion,
      );
      const afterCommit: (() => Promise<void>)[] = [];
      if (!erasedNow) return { contact, afterCommit };
      const participations = await manager.countBy(Participant, {
        tenantId: actor.tenantId,
        contactId,
      });
      for (const holder of this.registry.holders()) {
        const then = await holder.erase?.(manager, actor.tenantId, contactId);
        if (then) afterCommit.push(then);
      }
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'contact.erased',
        subject: CONTACT,
        id: contactId,
        changes: { participations: { before: null, after: participations } },
      });
      return { contact, afterCommit };
    });
    for (const then of afterCommit) await then();
    return contact;
  }
}
