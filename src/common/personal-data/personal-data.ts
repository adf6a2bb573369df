import { Global, Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Columns by table: `{ contacts: ['first_name', 'email'] }`. */
export type ColumnsByTable = Readonly<Record<string, readonly string[]>>;

/**
 * What one module stores about people, declared by that module: its tables'
 * text columns, each either personal or not (a test holds every text column
 * of the schema to this), and how to export and erase what it holds about a
 * person of the directory (a contact).
 */
export interface PersonalDataHolder {
  /** The module, for messages about it. */
  readonly module: string;
  readonly personal: ColumnsByTable;
  readonly notPersonal: ColumnsByTable;
  /** Sections of the person's export (e.g. `{ invitations: [...] }`), read in its transaction. */
  export?(manager: EntityManager, tenantId: string, contactId: string): Promise<object>;
  /**
   * Erases or anonymises what it holds about the person, in the erasure's
   * transaction; may return work for after the commit (e.g. dropping queued jobs).
   */
  erase?(
    manager: EntityManager,
    tenantId: string,
    contactId: string,
  ): Promise<void | (() => Promise<void>)>;
}

/**
 * Every module's declaration of the personal data it holds (README,
 * "Personal data"). Modules register at start-up; the data-subject rights
 * (export, erasure) ask all of them, so a new module's data is covered by
 * registering, not by editing the rights.
 */
@Injectable()
export class PersonalData {
  private readonly registered: PersonalDataHolder[] = [];

  /** Registers a module's declaration (once per module, however often the module is built). */
  register(holder: PersonalDataHolder): void {
    if (this.registered.some((known) => known.module === holder.module)) return;
    this.registered.push(holder);
  }

  holders(): readonly PersonalDataHolder[] {
    return this.registered;
  }
}

@Global()
@Module({ providers: [PersonalData], exports: [PersonalData] })
export class PersonalDataModule {}
