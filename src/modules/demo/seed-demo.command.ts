import { randomBytes, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CliCommand, type CliRunner } from '../../common/cli-command.js';
import { AppConfig } from '../../config/app-config.js';
import { ContactsService } from '../directory/contacts.service.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { Contact } from '../directory/entities/contact.entity.js';
import { PartnerOrganisation } from '../directory/entities/partner-organisation.entity.js';
import { PartnerOrganisationsService } from '../directory/partner-organisations.service.js';
import type { Actor, UserActor } from '../identity/access/actor.js';
import { Tenant } from '../identity/entities/tenant.entity.js';
import { User } from '../identity/entities/user.entity.js';
import { IdentityCliModule } from '../identity/identity-cli.module.js';
import { PasswordHasher } from '../identity/passwords.js';
import { TenantsService } from '../identity/tenants.service.js';
import { invitationsOpen } from '../invitations/invitations.constants.js';
import { InvitationAcceptance } from '../invitations/invitation-acceptance.js';
import { InvitationsRepository } from '../invitations/invitations.repository.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { LinksModule } from '../../common/links/links.module.js';
import { PublicLinksRepository } from '../invitations/public-links.repository.js';
import { PublicService } from '../invitations/public.service.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ParticipantsModule } from '../participants/participants.module.js';
import { Station } from '../trips/entities/station.entity.js';
import { Trip } from '../trips/entities/trip.entity.js';
import { StationsService } from '../trips/stations.service.js';
import { TRIP_STATUSES, TRIP_TRANSITIONS, type TripStatus } from '../trips/trips.constants.js';
import { TripsModule } from '../trips/trips.module.js';
import { TripsService } from '../trips/trips.service.js';
import {
  CONTACTS,
  DEMO_OWNER,
  DEMO_TENANT,
  OPEN_TRIP_PROGRAMME,
  ORGANISATIONS,
  openTrip,
  TRIPS,
  type DemoTrip,
} from './demo-data.js';
import {
  CENTRAL_ASIA_2023_TITLE,
  PARTNER_ORGANISATIONS_2023,
  PARTNER_SIGNATORIES_2023,
  PROGRAMME_2023,
  YEAR_2017,
} from './demo-results.js';
import { OpenTripSeeder, type DelegationAdded } from './open-trip.seeder.js';
import { YearSeeder } from './year.seeder.js';
import { ProgrammeSeeder } from './programme.seeder.js';
import { AgreementsSeeder, type AgreementsAdded } from './agreements.seeder.js';
import { FollowUpReminderMessages } from '../agreements/follow-up-reminder.messages.js';
import { MeetingReminderMessages } from '../programme/meeting-reminder.messages.js';
import { MeetingsService } from '../programme/meetings.service.js';
import { ProgrammeRepository } from '../programme/programme.repository.js';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { AgreementsService } from '../agreements/agreements.service.js';
import { FollowUpsService } from '../agreements/follow-ups.service.js';

/** How many of each kind a run added. */
interface Added {
  organisations: number;
  contacts: number;
  trips: number;
}

/**
 * `npm run cli -- seed-demo`: the demo agency with its partner
 * organisations, contacts, three past trips (from ../shared/demo/facts.md)
 * and one open for registration, with its delegation in every state and its
 * programme, and the agreements of these trips with their follow-ups; and
 * the rows behind its published results (demo-results.ts): the 2023
 * delegation's appointments and agreements, and the trips, events and
 * people of 2017. Safe to run again: whatever exists is kept, whatever is
 * missing is added, and the demo login gets a fresh password, printed at
 * the end.
 */
@CliCommand({
  name: 'seed-demo',
  description: 'Create (or complete) the demo agency and print its login',
})
export class SeedDemoCommand implements CliRunner {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly passwords: PasswordHasher,
    private readonly organisations: PartnerOrganisationsService,
    private readonly contacts: ContactsService,
    private readonly trips: TripsService,
    private readonly stations: StationsService,
    private readonly openTripSeeder: OpenTripSeeder,
    private readonly programmeSeeder: ProgrammeSeeder,
    private readonly agreementsSeeder: AgreementsSeeder,
    private readonly yearSeeder: YearSeeder,
  ) {}

  async run(): Promise<void> {
    const password = `Demo-${randomBytes(12).toString('base64url')}`;
    const owner = await this.owner(password);
    const actor: UserActor = {
      kind: 'user',
      id: owner.id,
      tenantId: owner.tenantId,
      role: 'owner',
      sessionId: randomUUID(),
      origin: { requestId: 'seed-demo', ip: '127.0.0.1' },
    };
    const { timezone } = await this.dataSource
      .getRepository(Tenant)
      .findOneByOrFail({ id: owner.tenantId });
    // The open trip's dates count from today in the agency's timezone.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date());
    const added: Added = { organisations: 0, contacts: 0, trips: 0 };
    const organisationIds = await this.seedOrganisations(actor, added);
    const contactIds = await this.seedContacts(actor, organisationIds, added);
    const trips = await this.seedTrips(
      actor,
      [...TRIPS, openTrip(today, timezone)],
      organisationIds,
      contactIds,
      added,
    );
    const open = trips[trips.length - 1];
    const delegation = await this.openTripSeeder.seed(actor, open, contactIds, today);
    let meetings = await this.programmeSeeder.seed(
      actor,
      open,
      OPEN_TRIP_PROGRAMME,
      organisationIds,
      contactIds,
    );
    // The 2023 delegation's appointments, held: the report's "more than 40".
    const centralAsia = trips.find((trip) => trip.title === CENTRAL_ASIA_2023_TITLE)!;
    meetings += await this.programmeSeeder.seed(
      actor,
      centralAsia,
      PROGRAMME_2023,
      organisationIds,
      contactIds,
      { held: true },
    );
    // 2017: the year's trips and events under way, their people entered, then closed.
    const year2017 = await this.seedTrips(
      actor,
      YEAR_2017.map((plan) => ({ ...plan, status: 'in_progress' })),
      organisationIds,
      contactIds,
      added,
    );
    const reached = await this.yearSeeder.seed(actor, year2017, YEAR_2017);
    const agreements = await this.agreementsSeeder.seed(
      actor,
      trips,
      open,
      organisationIds,
      contactIds,
      today,
    );
    const agreed = await this.agreementsSeeder.state(actor);
    process.stdout.write(
      [
        `Demo agency "${DEMO_TENANT}": ${organisationIds.size} partner organisations, ${contactIds.size} named contacts, ${trips.length + year2017.length} trips (${year2017.length} of them in 2017).`,
        ...(await this.openTripReport(actor, open, timezone)),
        `  Programme: GET /api/v1/trips/${open.id}/programme, as a calendar at .../calendar.ics.`,
        `  Agreements: ${agreed.agreements} (GET /api/v1/agreements), ${agreed.openFollowUps} open follow-ups (GET /api/v1/follow-ups?state=open).`,
        `Reports: the 2023 delegation at GET /api/v1/trips/${centralAsia.id}/report, the year 2017 at GET /api/v1/reports/annual?year=2017 (add format=pdf, xlsx or csv for a file).`,
        `This run added ${this.addedReport({
          ...added,
          ...delegation,
          participants: delegation.participants + reached,
          meetings,
          ...agreements,
        })}.`,
        `Messages wait in the outbox until a worker (npm start) sends them${this.config.SMTP_URL ? '' : ` (as .eml files to ${this.config.MAIL_DIR})`}.`,
        `Sign in at /api/docs (POST /api/v1/auth/login, then "Authorize" with the access token):`,
        `  email:    ${DEMO_OWNER.email}`,
        `  password: ${password}`,
        '',
      ].join('\n'),
    );
  }

  /** The open trip as staff will find it: the API's own figures, plus invitations and passports. */
  private async openTripReport(actor: Actor, open: Trip, timezone: string): Promise<string[]> {
    const { participantCounts, seatsLeft } = await this.trips.get(actor, open.id);
    const state = await this.openTripSeeder.state(actor, open);
    const counts = (figures: Record<string, number>, statuses: string[]) =>
      statuses.map((status) => `${figures[status] ?? 0} ${status}`).join(', ');
    // Swedish writes dates and times the ISO way: 2026-08-30 23:59.
    const closes = open.registrationClosesAt
      ? new Intl.DateTimeFormat('sv-SE', {
          timeZone: timezone,
          dateStyle: 'short',
          timeStyle: 'short',
        }).format(open.registrationClosesAt)
      : null;
    return [
      `Open trip: "${open.title}", ${open.startDate} to ${open.endDate} (${open.status}), registration closes ${closes ?? 'never'} ${timezone}${invitationsOpen(open) ? '' : ': passed, seed a fresh database for a new open trip'}.`,
      `  ${open.capacity} seats, ${seatsLeft} left; participants: ${counts(participantCounts, ['confirmed', 'waitlisted', 'applied'])} (the confirmed include ${state.staff} staff, who take no seat).`,
      `  Invitations: ${counts(state.invitations, ['pending', 'accepted', 'declined', 'revoked'])}.`,
      `  Passports on file: ${state.travelDocuments}, ${state.expiringPassports} expiring within the agency's ${state.marginMonths}-month margin.`,
    ];
  }

  private addedReport(
    added: Added & DelegationAdded & AgreementsAdded & { meetings: number },
  ): string {
    const parts = (
      [
        [added.organisations, 'partner organisations'],
        [added.contacts, 'contacts'],
        [added.trips, 'trips'],
        [added.invitations, 'invitations'],
        [added.participants, 'participants'],
        [added.travelDocuments, 'travel documents'],
        [added.meetings, 'meetings'],
        [added.agreements, 'agreements'],
        [added.followUps, 'follow-ups'],
      ] as const
    )
      .filter(([n]) => n > 0)
      .map(([n, what]) => `${n} ${what}`);
    return parts.length > 0 ? parts.join(', ') : 'nothing: the demo was complete';
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

  private async seedOrganisations(actor: Actor, added: Added): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const { key, ...organisation } of [...ORGANISATIONS, ...PARTNER_ORGANISATIONS_2023]) {
      let existing = await this.dataSource
        .getRepository(PartnerOrganisation)
        .findOneBy({ tenantId: actor.tenantId, name: organisation.name });
      if (!existing) {
        existing = await this.organisations.create(actor, organisation);
        added.organisations += 1;
      }
      ids.set(key, existing.id);
    }
    return ids;
  }

  private async seedContacts(
    actor: Actor,
    organisationIds: Map<string, string>,
    added: Added,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const { key, organisation, ...person } of [...CONTACTS, ...PARTNER_SIGNATORIES_2023]) {
      let existing = await this.dataSource
        .getRepository(Contact)
        .findOneBy({ tenantId: actor.tenantId, email: person.email ?? '' });
      if (!existing) {
        const partnerOrganisationId = organisation ? organisationIds.get(organisation) : undefined;
        existing = await this.contacts.create(actor, { ...person, partnerOrganisationId });
        added.contacts += 1;
      }
      ids.set(key, existing.id);
    }
    return ids;
  }

  /** Each trip found by title or created, with its stations, walked forward to its status. */
  private async seedTrips(
    actor: Actor,
    demoTrips: DemoTrip[],
    organisationIds: Map<string, string>,
    contactIds: Map<string, string>,
    added: Added,
  ): Promise<Trip[]> {
    const trips: Trip[] = [];
    // The entities (the service answers with views, whose timestamps are text).
    const entities = this.dataSource.getRepository(Trip);
    for (const demo of demoTrips) {
      let trip = await entities.findOneBy({ tenantId: actor.tenantId, title: demo.trip.title });
      if (!trip) {
        const { trip: created } = await this.trips.create(actor, {
          ...demo.trip,
          leadContactId: demo.lead ? contactIds.get(demo.lead) : undefined,
          coOrganiserIds: demo.coOrganisers?.map((key) => organisationIds.get(key) ?? ''),
        });
        trip = await entities.findOneByOrFail({ id: created.id });
        added.trips += 1;
      }
      const stationCount = await this.dataSource
        .getRepository(Station)
        .countBy({ tripId: trip.id });
      if (stationCount === 0) {
        for (const station of demo.stations) await this.stations.create(actor, trip.id, station);
      }
      // Only forward: a trip someone moved on (or cancelled) since stays where it is.
      const rank = (status: TripStatus) => TRIP_STATUSES.indexOf(status);
      while (rank(trip.status) < rank(demo.status)) {
        const next = TRIP_TRANSITIONS[trip.status][0];
        if (!next) break;
        await this.trips.transition(actor, trip.id, next);
        trip = await entities.findOneByOrFail({ id: trip.id });
      }
      trips.push(trip);
    }
    return trips;
  }
}

@Module({
  imports: [
    IdentityCliModule,
    DirectoryModule,
    TripsModule,
    ParticipantsModule,
    NotificationsModule,
    LinksModule,
  ],
  // Invitations, programme and agreements keep their services (and their repositories) to
  // themselves; the demo runs them (and the subscriber that accepts an invitation on enrolment)
  // as the API does.
  providers: [
    SeedDemoCommand,
    OpenTripSeeder,
    ProgrammeSeeder,
    MeetingsService,
    // Seeded meetings and follow-ups get their reminders planned, as through the API.
    MeetingReminderMessages,
    FollowUpReminderMessages,
    ProgrammeRepository,
    AgreementsSeeder,
    YearSeeder,
    AgreementsService,
    FollowUpsService,
    AgreementsRepository,
    InvitationsRepository,
    InvitationsService,
    PublicLinksRepository,
    PublicService,
    InvitationAcceptance,
  ],
})
export class DemoCliModule {}
