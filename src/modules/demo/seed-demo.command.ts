import { randomBytes, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CliCommand, type CliRunner } from '../../common/cli-command.js';
import { ContactsService } from '../directory/contacts.service.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { Contact } from '../directory/entities/contact.entity.js';
import { PartnerOrganisation } from '../directory/entities/partner-organisation.entity.js';
import { PartnerOrganisationsService } from '../directory/partner-organisations.service.js';
import type { Actor } from '../identity/access/actor.js';
import { User } from '../identity/entities/user.entity.js';
import { IdentityCliModule } from '../identity/identity-cli.module.js';
import { PasswordHasher } from '../identity/passwords.js';
import { TenantsService } from '../identity/tenants.service.js';
import { Station } from '../trips/entities/station.entity.js';
import { Trip } from '../trips/entities/trip.entity.js';
import { StationsService } from '../trips/stations.service.js';
import { TRIP_TRANSITIONS } from '../trips/trips.constants.js';
import { TripsModule } from '../trips/trips.module.js';
import { TripsService } from '../trips/trips.service.js';
import { CONTACTS, DEMO_OWNER, DEMO_TENANT, ORGANISATIONS, TRIPS } from './demo-data.js';

/**
 * `npm run cli -- seed-demo`: the demo agency with its partner
 * organisations, contacts and trips (from ../shared/demo/facts.md). Safe to
 * run again: whatever exists is kept, whatever is missing is added, and the
 * demo login gets a fresh password, printed at the end.
 */
@CliCommand({
  name: 'seed-demo',
  description: 'Create (or complete) the demo agency and print its login',
})
export class SeedDemoCommand implements CliRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly passwords: PasswordHasher,
    private readonly organisations: PartnerOrganisationsService,
    private readonly contacts: ContactsService,
    private readonly trips: TripsService,
    private readonly stations: StationsService,
  ) {}

  async run(): Promise<void> {
    const password = `Demo-${randomBytes(12).toString('base64url')}`;
    const owner = await this.owner(password);
    const actor: Actor = {
      kind: 'user',
      id: owner.id,
      tenantId: owner.tenantId,
      role: 'owner',
      sessionId: randomUUID(),
      origin: { requestId: 'seed-demo', ip: '127.0.0.1' },
    };
    const organisationIds = await this.seedOrganisations(actor);
    const contactIds = await this.seedContacts(actor, organisationIds);
    const tripCount = await this.seedTrips(actor, organisationIds, contactIds);
    process.stdout.write(
      [
        `Demo agency "${DEMO_TENANT}": ${organisationIds.size} partner organisations, ${contactIds.size} contacts, ${tripCount} trips.`,
        `Sign in at /api/docs (POST /api/v1/auth/login, then "Authorize" with the access token):`,
        `  email:    ${DEMO_OWNER.email}`,
        `  password: ${password}`,
        '',
      ].join('\n'),
    );
  }

  /** The demo owner, created with the agency the first time; a new password every run. */
  private async owner(password: string): Promise<User> {
    const users = this.dataSource.getRepository(User);
    const existing = await users.findOneBy({ email: DEMO_OWNER.email });
    if (existing) {
      await this.dataSource.query(
        'UPDATE users SET password_hash = $2, active = true WHERE id = $1',
        [existing.id, await this.passwords.hash(password)],
      );
      return existing;
    }
    const { owner } = await this.dataSource.transaction((manager) =>
      this.tenants.createWithOwner(
        manager,
        { type: 'system', id: null, origin: { requestId: 'seed-demo', ip: '127.0.0.1' } },
        { tenantName: DEMO_TENANT, name: DEMO_OWNER.name, email: DEMO_OWNER.email, password },
      ),
    );
    return owner;
  }

  private async seedOrganisations(actor: Actor): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const { key, ...organisation } of ORGANISATIONS) {
      const existing = await this.dataSource
        .getRepository(PartnerOrganisation)
        .findOneBy({ tenantId: actor.tenantId, name: organisation.name });
      ids.set(key, (existing ?? (await this.organisations.create(actor, organisation))).id);
    }
    return ids;
  }

  private async seedContacts(
    actor: Actor,
    organisationIds: Map<string, string>,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const { key, organisation, ...person } of CONTACTS) {
      const existing = await this.dataSource
        .getRepository(Contact)
        .findOneBy({ tenantId: actor.tenantId, email: person.email ?? '' });
      const partnerOrganisationId = organisation ? organisationIds.get(organisation) : undefined;
      ids.set(
        key,
        (existing ?? (await this.contacts.create(actor, { ...person, partnerOrganisationId }))).id,
      );
    }
    return ids;
  }

  private async seedTrips(
    actor: Actor,
    organisationIds: Map<string, string>,
    contactIds: Map<string, string>,
  ): Promise<number> {
    for (const demo of TRIPS) {
      const existing = await this.dataSource
        .getRepository(Trip)
        .findOneBy({ tenantId: actor.tenantId, title: demo.trip.title });
      const trip =
        existing ??
        (
          await this.trips.create(actor, {
            ...demo.trip,
            leadContactId: demo.lead ? contactIds.get(demo.lead) : undefined,
            coOrganiserIds: demo.coOrganisers?.map((key) => organisationIds.get(key) ?? ''),
          })
        ).trip;
      const stationCount = await this.dataSource
        .getRepository(Station)
        .countBy({ tripId: trip.id });
      if (stationCount === 0) {
        for (const station of demo.stations) await this.stations.create(actor, trip.id, station);
      }
      let status = trip.status;
      while (status !== demo.status) {
        const next = TRIP_TRANSITIONS[status][0];
        if (!next) break;
        status = (await this.trips.transition(actor, trip.id, next)).trip.status;
      }
    }
    return TRIPS.length;
  }
}

@Module({
  imports: [IdentityCliModule, DirectoryModule, TripsModule],
  providers: [SeedDemoCommand],
})
export class DemoCliModule {}
