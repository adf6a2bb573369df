import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Page } from '../../common/pagination/pagination.js';
import { InUse, NotFound } from '../../common/problem/domain-error.js';
import { sentFields } from '../../common/validation.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../database/errors.js';
import { lockForChange } from '../../database/tenant-rows.js';
import { auditActor, type AuditActor } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import { ContactsRepository } from './contacts.repository.js';
import { ERASED_NAME } from './directory.constants.js';
import { ContactEmailTaken, ContactErased, unknownOrganisation } from './directory.errors.js';
import type { CreateContactDto, ListContactsQuery, UpdateContactDto } from './dto/contact.dto.js';
import { Contact } from './entities/contact.entity.js';
import { PartnerOrganisationsRepository } from './partner-organisations.repository.js';
import { CONTACT } from './directory.subjects.js';
import { Changes, diff } from '../audit/changes.js';

const WHAT = 'contact';

@Injectable()
export class ContactsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsRepository,
    private readonly organisations: PartnerOrganisationsRepository,
    private readonly changes: Changes,
  ) {}

  list(actor: Actor, query: ListContactsQuery): Promise<Page<Contact>> {
    return this.contacts.page(actor.tenantId, query);
  }

  async get(actor: Actor, id: string): Promise<Contact> {
    const contact = await this.contacts.findInTenant(actor.tenantId, id);
    if (!contact) throw new NotFound(WHAT);
    return contact;
  }

  create(actor: Actor, dto: CreateContactDto): Promise<Contact> {
    return this.refusingDuplicateEmail(actor, dto.email, () =>
      this.dataSource.transaction(async (manager) => {
        await this.assertOrganisation(manager, actor, dto.partnerOrganisationId);
        return this.createInTransaction(manager, actor.tenantId, auditActor(actor), dto);
      }),
    );
  }

  /**
   * Writes a new contact in the caller's transaction (e.g. one registered
   * inline with a participant), its organisation checked by the caller.
   */
  async createInTransaction(
    manager: EntityManager,
    tenantId: string,
    by: AuditActor,
    dto: CreateContactDto,
  ): Promise<Contact> {
    const contact = manager.create(Contact, { ...sentFields(dto), tenantId });
    await manager.save(contact);
    await this.changes.record(manager, by, {
      tenantId,
      action: 'contact.created',
      subject: CONTACT,
      id: contact.id,
      changes: diff({}, sentFields(dto)),
    });
    return contact;
  }

  update(
    actor: Actor,
    id: string,
    dto: UpdateContactDto,
    expectedVersion?: number,
  ): Promise<Contact> {
    return this.refusingDuplicateEmail(actor, dto.email, () =>
      this.dataSource.transaction(async (manager) => {
        const contact = await lockForChange(
          manager,
          Contact,
          actor.tenantId,
          id,
          expectedVersion,
          WHAT,
        );
        if (contact.erasedAt) throw new ContactErased();
        const changes = diff(contact, sentFields(dto));
        if (!changes) return contact;
        if (changes.partnerOrganisationId) {
          await this.assertOrganisation(manager, actor, dto.partnerOrganisationId);
        }
        Object.assign(contact, sentFields(dto));
        await manager.save(contact);
        await this.changes.record(manager, auditActor(actor), {
          tenantId: actor.tenantId,
          action: 'contact.updated',
          subject: CONTACT,
          id: contact.id,
          changes,
        });
        return contact;
      }),
    );
  }

  /** Refused (409) while trips, participations or meetings refer to the person. */
  /**
   * Anonymises the contact in the caller's transaction (a person's data
   * erased): it keeps its organisation and the name `[erased]`, loses
   * everything else, and is marked `erasedAt`. `erasedNow` is false when it
   * had been erased before (and nothing changed).
   */
  async eraseInTransaction(
    manager: EntityManager,
    tenantId: string,
    id: string,
    expectedVersion?: number,
  ): Promise<{ contact: Contact; erasedNow: boolean }> {
    const contact = await lockForChange(manager, Contact, tenantId, id, expectedVersion, WHAT);
    if (contact.erasedAt) return { contact, erasedNow: false };
    Object.assign(contact, {
      title: null,
      firstName: null,
      lastName: ERASED_NAME,
      position: null,
      email: null,
      phone: null,
      preferredLanguage: null,
      notes: null,
      erasedAt: new Date(),
    });
    return { contact: await manager.save(contact), erasedNow: true };
  }

  async delete(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        await lockForChange(manager, Contact, actor.tenantId, id, expectedVersion, WHAT);
        // Recorded first: a subscriber may refuse it (the programme names meetings that need it).
        await this.changes.record(manager, auditActor(actor), {
          tenantId: actor.tenantId,
          action: 'contact.deleted',
          subject: CONTACT,
          id,
        });
        await manager.delete(Contact, { tenantId: actor.tenantId, id });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new InUse(WHAT, 'trips, participations or meetings');
      throw error;
    }
  }

  private async assertOrganisation(
    manager: EntityManager,
    actor: Actor,
    organisationId: string | null | undefined,
  ): Promise<void> {
    if (!organisationId) return;
    if (!(await this.organisations.existsInTenant(manager, actor.tenantId, organisationId))) {
      throw unknownOrganisation();
    }
  }

  /** A duplicate email is 409 naming the contact that has it (looked up after the rollback). */
  private async refusingDuplicateEmail(
    actor: Actor,
    email: string | null | undefined,
    write: () => Promise<Contact>,
  ): Promise<Contact> {
    try {
      return await write();
    } catch (error) {
      if (!email || !isUniqueViolation(error, 'UQ_contacts_tenant_email')) throw error;
      const existing = await this.contacts.findByEmail(actor.tenantId, email);
      throw existing ? new ContactEmailTaken(existing.id) : error;
    }
  }
}
