import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Changes } from '../audit/changes.js';
import { CONTACT, PARTNER_ORGANISATION } from '../directory/directory.subjects.js';
import { PartyInUse } from './agreements.errors.js';
import { AgreementsRepository } from './agreements.repository.js';

/**
 * How agreements hold on to the directory, in the transaction of the change
 * (the change seam): an organisation that is party to an agreement, or a
 * contact who signs one, cannot be deleted (409 naming the agreements); a
 * renamed organisation's agreements are found by its new name.
 */
@Injectable()
export class AgreementsSubscribers implements OnModuleInit {
  constructor(
    private readonly changes: Changes,
    private readonly agreements: AgreementsRepository,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(PARTNER_ORGANISATION, async (manager, change) => {
      if (!change.id) return;
      if (change.action === 'partner_organisation.deleted') {
        await this.refuseIfNamed(manager, 'organisation', change.id);
      } else if (change.changes?.name || change.changes?.shortName) {
        await this.agreements.renameParty(manager, change.id);
      }
    });
    this.changes.subscribe(CONTACT, (manager, change) =>
      change.action === 'contact.deleted' && change.id
        ? this.refuseIfNamed(manager, 'contact', change.id)
        : Promise.resolve(),
    );
  }

  private async refuseIfNamed(
    manager: EntityManager,
    kind: 'organisation' | 'contact',
    id: string,
  ): Promise<void> {
    const agreements = await this.agreements.agreementsNaming(manager, kind, id);
    if (agreements.length > 0) {
      throw new PartyInUse(
        kind === 'organisation' ? 'partner organisation' : 'contact',
        agreements,
      );
    }
  }
}
