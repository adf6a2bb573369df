import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page } from '../../common/pagination/pagination.js';
import { InUse, NotFound } from '../../common/problem/domain-error.js';
import { sentFields } from '../../common/validation.js';
import { isForeignKeyViolation } from '../../database/errors.js';
import { lockForChange } from '../../database/tenant-rows.js';
import { auditActor } from '../audit/audit.service.js';
import type { Actor } from '../identity/access/actor.js';
import type {
  CreatePartnerOrganisationDto,
  ListPartnerOrganisationsQuery,
  UpdatePartnerOrganisationDto,
} from './dto/partner-organisation.dto.js';
import { PartnerOrganisation } from './entities/partner-organisation.entity.js';
import {
  PartnerOrganisationsRepository,
  type OrganisationWithCounts,
} from './partner-organisations.repository.js';
import { PARTNER_ORGANISATION } from './directory.subjects.js';
import { Changes, diff } from '../audit/changes.js';

const WHAT = 'partner organisation';

@Injectable()
export class PartnerOrganisationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: PartnerOrganisationsRepository,
    private readonly changes: Changes,
  ) {}

  /** With their agreements per status, in the page's statement. */
  list(actor: Actor, query: ListPartnerOrganisationsQuery): Promise<Page<OrganisationWithCounts>> {
    return this.organisations.page(actor.tenantId, query);
  }

  /** With its agreements per status, in one statement. */
  async get(actor: Actor, id: string): Promise<OrganisationWithCounts> {
    const found = await this.organisations.findWithCounts(actor.tenantId, id);
    if (!found) throw new NotFound(WHAT);
    return found;
  }

  /** Agreements of each organisation per status, for their answers: one query. */
  agreementCounts(
    organisations: PartnerOrganisation[],
  ): Promise<Map<string, Record<string, number>>> {
    return this.organisations.agreementCounts(organisations.map((organisation) => organisation.id));
  }

  create(actor: Actor, dto: CreatePartnerOrganisationDto): Promise<PartnerOrganisation> {
    return this.dataSource.transaction(async (manager) => {
      const organisation = manager.create(PartnerOrganisation, {
        ...sentFields(dto),
        tenantId: actor.tenantId,
      });
      await manager.save(organisation);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'partner_organisation.created',
        subject: PARTNER_ORGANISATION,
        id: organisation.id,
        changes: diff({}, sentFields(dto)),
      });
      return organisation;
    });
  }

  update(
    actor: Actor,
    id: string,
    dto: UpdatePartnerOrganisationDto,
    expectedVersion?: number,
  ): Promise<PartnerOrganisation> {
    return this.dataSource.transaction(async (manager) => {
      const organisation = await lockForChange(
        manager,
        PartnerOrganisation,
        actor.tenantId,
        id,
        expectedVersion,
        WHAT,
      );
      const changes = diff(organisation, sentFields(dto));
      if (!changes) return organisation;
      Object.assign(organisation, sentFields(dto));
      await manager.save(organisation);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        action: 'partner_organisation.updated',
        subject: PARTNER_ORGANISATION,
        id: organisation.id,
        changes,
      });
      return organisation;
    });
  }

  /** Refused (409) while contacts or trips refer to it: history is never cascaded away. */
  async delete(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const organisation = await lockForChange(
          manager,
          PartnerOrganisation,
          actor.tenantId,
          id,
          expectedVersion,
          WHAT,
        );
        // Recorded first: a subscriber may refuse it (the programme names meetings that need it).
        await this.changes.record(manager, auditActor(actor), {
          tenantId: actor.tenantId,
          action: 'partner_organisation.deleted',
          subject: PARTNER_ORGANISATION,
          id: organisation.id,
          changes: { name: { before: organisation.name, after: null } },
        });
        await manager.delete(PartnerOrganisation, { tenantId: actor.tenantId, id });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new InUse(WHAT, 'contacts, trips or meetings');
      throw error;
    }
  }
}
