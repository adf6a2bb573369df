import { Injectable } from '@nestjs/common';
import type { Page, PageQueryDto } from '../../common/pagination/pagination.js';
import { AgreementsService } from '../agreements/agreements.service.js';
import { FollowUpsService } from '../agreements/follow-ups.service.js';
import type { Actor, UserActor } from '../identity/access/actor.js';
import { MeetingsService } from '../programme/meetings.service.js';
import type { Trip } from '../trips/entities/trip.entity.js';
import { addDays, DEMO_AGREEMENTS } from './demo-data.js';
import { AGREEMENTS_2023 } from './demo-results.js';

const ALL = { limit: 200 } as const;

/** What one run added. */
export interface AgreementsAdded {
  agreements: number;
  followUps: number;
}

/** Every item of a paged list, page by page. */
async function all<T>(page: (query: PageQueryDto) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page({ ...ALL, cursor });
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * The agreements of the demo's trips, recorded through the services behind
 * the API (audited like real use): each created as a draft with its parties,
 * signatories and trip, then walked along its lifecycle with the days it
 * happened, with the follow-ups of the demo owner (due counted from the
 * seeding day). An agreement already there (by title) is left as it is.
 */
@Injectable()
export class AgreementsSeeder {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly followUps: FollowUpsService,
    private readonly meetings: MeetingsService,
  ) {}

  /** `actor` is the demo owner, who owns the follow-ups. */
  async seed(
    actor: UserActor,
    trips: Trip[],
    open: Trip,
    organisationIds: Map<string, string>,
    contactIds: Map<string, string>,
    today: string,
  ): Promise<AgreementsAdded> {
    const existing = new Set(
      (await all((query) => this.agreements.list(actor, query))).map(
        (agreement) => agreement.title,
      ),
    );
    const added: AgreementsAdded = { agreements: 0, followUps: 0 };
    const ids = (keys: string[] | undefined, from: Map<string, string>) =>
      (keys ?? []).flatMap((key) => (from.get(key) ? [from.get(key)!] : []));
    for (const plan of [...DEMO_AGREEMENTS, ...AGREEMENTS_2023]) {
      if (existing.has(plan.title)) continue;
      const title = plan.trip === 'open' ? open.title : plan.trip.title;
      const trip = trips.find((candidate) => candidate.title === title);
      const meeting =
        trip && plan.meeting
          ? (await this.meetings.list(actor, trip.id, { ...ALL })).items.find(
              (candidate) => candidate.title === plan.meeting,
            )
          : undefined;
      const agreement = await this.agreements.create(actor, {
        title: plan.title,
        kind: plan.kind,
        category: plan.category,
        parties: plan.parties.flatMap(({ organisation, signatories }) => {
          const organisationId = organisationIds.get(organisation);
          return organisationId
            ? [{ organisationId, signatoryContactIds: ids(signatories, contactIds) }]
            : [];
        }),
        agencyIsParty: plan.agencyIsParty,
        tripId: trip?.id ?? null,
        meetingId: meeting?.id ?? null,
        summary: plan.summary,
        signedIn: plan.signedIn ?? null,
        validUntil: plan.validUntil ?? null,
        tags: plan.tags,
      });
      added.agreements += 1;
      // Without a day, it happened today (the service's default, in the agency's timezone).
      for (const { to, on } of plan.lifecycle) {
        await this.agreements.transition(actor, agreement.id, { to, on });
      }
      for (const followUp of plan.followUps ?? []) {
        const created = await this.followUps.create(actor, agreement.id, {
          title: followUp.title,
          dueOn: addDays(today, followUp.dueInDays),
          ownerUserId: actor.id,
          notes: followUp.notes ?? null,
        });
        if (followUp.done) {
          await this.followUps.update(actor, agreement.id, created.id, { done: true });
        }
        added.followUps += 1;
      }
    }
    return added;
  }

  /** How many agreements the agency has, and how many follow-ups are open, as the API lists them. */
  async state(actor: Actor): Promise<{ agreements: number; openFollowUps: number }> {
    const agreements = await all((query) => this.agreements.list(actor, query));
    const open = await all((query) => this.followUps.listAll(actor, { ...query, state: 'open' }));
    return { agreements: agreements.length, openFollowUps: open.length };
  }
}
