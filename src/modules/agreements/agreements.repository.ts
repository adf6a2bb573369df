import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  inParent,
  keysetPageSql,
  keysetPageWithRaw,
  type KeysetOptions,
  type Page,
  type PageQueryDto,
} from '../../common/pagination/pagination.js';
import { NotFound } from '../../common/problem/domain-error.js';
import { selectColumns } from '../../database/select-columns.js';
import type { Locale } from '../identity/roles.js';
import { matches, searchParams } from '../directory/search.js';
import type { AgreementFilters, ListAgreementsQuery, PartyDto } from './dto/agreement.dto.js';
import type { FollowUpFilters } from './dto/follow-up.dto.js';
import { AgreementParty, AgreementSignatory } from './entities/agreement-party.entity.js';
import {
  AGREEMENT_SEARCH_TEXT,
  Agreement,
  UNSIGNED_LISTED_ON,
} from './entities/agreement.entity.js';
import { FollowUp } from './entities/follow-up.entity.js';
import { SIGNED_STATUSES } from './agreements.constants.js';

/** A party as an agreement's answer shows it. */
export interface PartyView {
  organisationId: string;
  signatoryContactIds: string[];
}

/** The agency's today, in its timezone (PostgreSQL's IANA data), as SQL. */
const AGENCY_TODAY = (tenantId: string) =>
  `(now() AT TIME ZONE (SELECT tn.timezone FROM tenants tn WHERE tn.id = ${tenantId}))::date`;

/** An agreement with its parties, as its answer shows them. */
export interface AgreementWithParties {
  agreement: Agreement;
  parties: PartyView[];
}

/** A follow-up with the agency's today, which tells whether it is overdue. */
export type FollowUpRow = FollowUp & { agencyToday: string };

/**
 * The parties of agreement `a` in order, each with its signatories in
 * order, as a JSON subquery of its row (issue 21).
 */
const PARTIES = `(SELECT json_agg(json_build_object(
    'organisationId', p.partner_organisation_id,
    'signatoryContactIds', ARRAY(SELECT s.contact_id FROM agreement_signatories s
                                  WHERE s.agreement_id = p.agreement_id
                                    AND s.partner_organisation_id = p.partner_organisation_id
                                  ORDER BY s.position)) ORDER BY p.position)
   FROM agreement_parties p WHERE p.agreement_id = a.id)`;

const withParties = ({ entity, raw }: { entity: Agreement; raw: Record<string, unknown> }) => ({
  agreement: entity,
  parties: (raw.parties as PartyView[] | null) ?? [],
});

/** Follow-ups by due day, then id; served by (…, due_on, id). */
const FOLLOW_UP_ORDER: Pick<KeysetOptions<FollowUpRow>, 'keys' | 'direction'> = {
  keys: [
    { column: 'f.due_on', property: 'dueOn' },
    { column: 'f.id', property: 'id' },
  ],
  direction: 'ASC',
};

/** A follow-up as its reminder tells it when sent. */
export interface FollowUpReminderFacts {
  title: string;
  dueOn: string;
  notes: string | null;
  done: boolean;
  ownerUserId: string;
  agreementId: string;
  agreementTitle: string;
}

/** An open follow-up and what its reminders are planned from. */
export interface FollowUpReminderPlan {
  id: string;
  tenantId: string;
  dueOn: string;
  userId: string;
  email: string;
  hour: number;
  overdueDays: number;
  timeZone: string;
}

/** The parties' names and short names of agreement `a`, in order (what `q` searches). */
const PARTY_NAMES = `coalesce((SELECT string_agg(concat_ws(' ', o.name, o.short_name), ' ' ORDER BY p.position)
    FROM agreement_parties p JOIN partner_organisations o ON o.id = p.partner_organisation_id
   WHERE p.agreement_id = a.id), '')`;

/** An agreement and its parties as the export's rows show them. */
export interface AgreementExportRow {
  id: string;
  title: string;
  kind: string;
  category: string;
  status: string;
  status_since: string;
  parties: string;
  countries: string;
  signatories: string;
  agency_is_party: boolean;
  trip: string | null;
  meeting: string | null;
  signed_on: string | null;
  signed_in_city: string | null;
  signed_in_country: string | null;
  valid_until: string | null;
  document_url: string | null;
  tags: string;
  open_follow_ups: number;
  summary: string | null;
}

@Injectable()
export class AgreementsRepository {
  private readonly followUpColumns: string;

  constructor(private readonly dataSource: DataSource) {
    this.followUpColumns = selectColumns(dataSource.getMetadata(FollowUp), 'f');
  }

  /** An agreement with its parties and signatories: one statement. */
  async findWithParties(tenantId: string, id: string): Promise<AgreementWithParties | null> {
    const { entities, raw } = await this.dataSource
      .getRepository(Agreement)
      .createQueryBuilder('a')
      .addSelect(PARTIES, 'parties')
      .where('a.tenant_id = :tenantId AND a.id = :id', { tenantId, id })
      .getRawAndEntities();
    return entities[0]
      ? withParties({ entity: entities[0], raw: raw[0] as Record<string, unknown> })
      : null;
  }

  lockInTenant(manager: EntityManager, tenantId: string, id: string): Promise<Agreement | null> {
    return manager.findOne(Agreement, {
      where: { tenantId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The agency's today in its timezone. */
  async agencyToday(manager: EntityManager, tenantId: string): Promise<string> {
    const [{ today }] = await manager.query<{ today: string }[]>(
      `SELECT ${AGENCY_TODAY('$1')}::text AS today`,
      [tenantId],
    );
    return today;
  }

  /** The agency's language, for exports. */
  async agencyLocale(tenantId: string): Promise<Locale> {
    const [{ locale }] = await this.dataSource.query<{ locale: Locale }[]>(
      `SELECT default_locale AS locale FROM tenants WHERE id = $1`,
      [tenantId],
    );
    return locale;
  }

  /** Parties and their signatories of several agreements, in order: two queries. */
  async parties(manager: EntityManager, ids: string[]): Promise<Map<string, PartyView[]>> {
    const byAgreement = new Map<string, PartyView[]>();
    if (ids.length === 0) return byAgreement;
    const [parties, signatories] = await Promise.all([
      manager.find(AgreementParty, {
        where: { agreementId: In(ids) },
        order: { agreementId: 'ASC', position: 'ASC' },
      }),
      manager.find(AgreementSignatory, {
        where: { agreementId: In(ids) },
        order: { position: 'ASC' },
      }),
    ]);
    const views = new Map<string, PartyView>();
    for (const party of parties) {
      const view = { organisationId: party.partnerOrganisationId, signatoryContactIds: [] };
      views.set(`${party.agreementId}|${party.partnerOrganisationId}`, view);
      byAgreement.set(party.agreementId, [...(byAgreement.get(party.agreementId) ?? []), view]);
    }
    for (const signatory of signatories) {
      views
        .get(`${signatory.agreementId}|${signatory.partnerOrganisationId}`)
        ?.signatoryContactIds.push(signatory.contactId);
    }
    return byAgreement;
  }

  /** Sets the parties and signatories as sent (their order kept). */
  async replaceParties(
    manager: EntityManager,
    agreementId: string,
    parties: PartyDto[],
  ): Promise<void> {
    await manager.delete(AgreementParty, { agreementId });
    await manager.insert(
      AgreementParty,
      parties.map((party, position) => ({
        agreementId,
        partnerOrganisationId: party.organisationId,
        position,
      })),
    );
    const signatories = parties.flatMap((party) =>
      (party.signatoryContactIds ?? []).map((contactId, position) => ({
        agreementId,
        partnerOrganisationId: party.organisationId,
        contactId,
        position,
      })),
    );
    if (signatories.length > 0) await manager.insert(AgreementSignatory, signatories);
    await manager.query(`UPDATE agreements a SET party_names = ${PARTY_NAMES} WHERE a.id = $1`, [
      agreementId,
    ]);
  }

  /** An organisation renamed: the agreements it is party to are found by its new name. */
  async renameParty(manager: EntityManager, organisationId: string): Promise<void> {
    await manager.query(
      `UPDATE agreements a SET party_names = ${PARTY_NAMES}
        WHERE a.id IN (SELECT agreement_id FROM agreement_parties WHERE partner_organisation_id = $1)`,
      [organisationId],
    );
  }

  /** Of `ids`, the agency's rows in `table` (contacts not erased), key-share locked until commit. */
  async existing(
    manager: EntityManager,
    table: 'partner_organisations' | 'contacts',
    tenantId: string,
    ids: string[],
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM ${table} WHERE tenant_id = $1 AND id = ANY($2)
          ${table === 'contacts' ? 'AND erased_at IS NULL' : ''} FOR KEY SHARE`,
      [tenantId, ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  async tripExists(manager: EntityManager, tenantId: string, tripId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM trips WHERE tenant_id = $1 AND id = $2 FOR KEY SHARE`,
      [tenantId, tripId],
    );
    return rows.length > 0;
  }

  async meetingOfTrip(
    manager: EntityManager,
    tenantId: string,
    tripId: string,
    meetingId: string,
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM meetings WHERE tenant_id = $1 AND trip_id = $2 AND id = $3 FOR KEY SHARE`,
      [tenantId, tripId, meetingId],
    );
    return rows.length > 0;
  }

  async isActiveStaff(manager: EntityManager, tenantId: string, userId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2 AND active FOR KEY SHARE`,
      [tenantId, userId],
    );
    return rows.length > 0;
  }

  /**
   * Newest first: by `signed_on` (unsigned ones first), then creation;
   * served by one index. With their parties, in the same statement.
   */
  async page(tenantId: string, query: ListAgreementsQuery): Promise<Page<AgreementWithParties>> {
    const page = await keysetPageWithRaw(
      this.filtered(tenantId, query).addSelect(PARTIES, 'parties'),
      {
        keys: [
          { column: 'a.listed_on', property: 'listedOn' },
          { column: 'a.created_at', property: 'createdAt' },
          { column: 'a.id', property: 'id' },
        ],
        direction: 'DESC',
        query,
      },
    );
    return { items: page.items.map(withParties), nextCursor: page.nextCursor };
  }

  /** Every agreement the filters select, as the export shows it: one query. */
  exportRows(tenantId: string, filters: AgreementFilters): Promise<AgreementExportRow[]> {
    const [sql, parameters] = this.filtered(tenantId, filters)
      .select([])
      .addSelect(
        `a.id AS id, a.title AS title, a.kind AS kind, a.category AS category, a.status AS status,
         a.status_since::text AS status_since, a.agency_is_party AS agency_is_party,
         a.signed_on::text AS signed_on, a.signed_in_city AS signed_in_city,
         a.signed_in_country AS signed_in_country, a.valid_until::text AS valid_until,
         a.document_url AS document_url, a.summary AS summary,
         array_to_string(a.tags, ', ') AS tags,
         (SELECT t.title FROM trips t WHERE t.id = a.trip_id) AS trip,
         (SELECT m.title FROM meetings m WHERE m.id = a.meeting_id) AS meeting,
         coalesce((SELECT string_agg(o.name, '; ' ORDER BY p.position)
                     FROM agreement_parties p JOIN partner_organisations o ON o.id = p.partner_organisation_id
                    WHERE p.agreement_id = a.id), '') AS parties,
         coalesce((SELECT string_agg(DISTINCT o.country, ', ')
                     FROM agreement_parties p JOIN partner_organisations o ON o.id = p.partner_organisation_id
                    WHERE p.agreement_id = a.id), '') AS countries,
         coalesce((SELECT string_agg(concat_ws(' ', c.first_name, c.last_name), '; ' ORDER BY p.position, s.position)
                     FROM agreement_signatories s
                     JOIN agreement_parties p ON p.agreement_id = s.agreement_id
                                             AND p.partner_organisation_id = s.partner_organisation_id
                     JOIN contacts c ON c.id = s.contact_id
                    WHERE s.agreement_id = a.id), '') AS signatories,
         (SELECT count(*)::int FROM follow_ups f WHERE f.agreement_id = a.id AND f.done_at IS NULL)
           AS open_follow_ups`,
      )
      .orderBy('a.listed_on', 'DESC')
      .addOrderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .getQueryAndParameters();
    return this.dataSource.query<AgreementExportRow[]>(sql, parameters);
  }

  private filtered(tenantId: string, query: AgreementFilters): SelectQueryBuilder<Agreement> {
    const builder = this.dataSource
      .getRepository(Agreement)
      .createQueryBuilder('a')
      .where('a.tenant_id = :tenantId', { tenantId });
    if (query.status) builder.andWhere('a.status = :status', { status: query.status });
    if (query.signed !== undefined) {
      builder.andWhere(`a.status ${query.signed ? '' : 'NOT '}IN (:...signedStatuses)`, {
        signedStatuses: SIGNED_STATUSES,
      });
    }
    if (query.kind) builder.andWhere('a.kind = :kind', { kind: query.kind });
    if (query.category) builder.andWhere('a.category = :category', { category: query.category });
    if (query.tripId) builder.andWhere('a.trip_id = :tripId', { tripId: query.tripId });
    if (query.organisationId) {
      builder.andWhere(
        `EXISTS (SELECT 1 FROM agreement_parties p
                  WHERE p.agreement_id = a.id AND p.partner_organisation_id = :organisationId)`,
        { organisationId: query.organisationId },
      );
    }
    if (query.country) {
      builder.andWhere(
        `EXISTS (SELECT 1 FROM agreement_parties p
                   JOIN partner_organisations o ON o.id = p.partner_organisation_id
                  WHERE p.agreement_id = a.id AND o.tenant_id = :tenantId AND o.country = :country)`,
        { country: query.country },
      );
    }
    // Signing days filter on listed_on, the list index's own key: it is signed_on for signed
    // agreements and a day beyond any filter for the others.
    if (query.year !== undefined) {
      builder.andWhere('a.listed_on BETWEEN make_date(:year, 1, 1) AND make_date(:year, 12, 31)', {
        year: query.year,
      });
    }
    if (query.signedFrom) {
      builder.andWhere('a.listed_on >= :signedFrom AND a.listed_on < :unsigned', {
        signedFrom: query.signedFrom,
        unsigned: UNSIGNED_LISTED_ON,
      });
    }
    if (query.signedTo) builder.andWhere('a.listed_on <= :signedTo', { signedTo: query.signedTo });
    if (query.q) builder.andWhere(matches(AGREEMENT_SEARCH_TEXT('a')), searchParams(query.q));
    if (query.updatedSince) {
      builder.andWhere('a.updated_at >= :since', { since: query.updatedSince });
    }
    return builder;
  }

  /**
   * Moves agreements in force whose last valid day has passed in their
   * agency's timezone to `expired`: one indexed UPDATE for every agency;
   * answers what it moved.
   */
  expireDue(
    manager: EntityManager,
  ): Promise<{ id: string; tenantId: string; validUntil: string; statusSince: string }[]> {
    return manager.query(
      `WITH expired AS (
         UPDATE agreements a
            SET status = 'expired', status_since = a.valid_until + 1,
                version = a.version + 1, updated_at = now()
           FROM tenants tn
          WHERE tn.id = a.tenant_id AND a.status = 'in_force'
            AND a.valid_until < (now() AT TIME ZONE tn.timezone)::date
         RETURNING a.id, a.tenant_id, a.valid_until, a.status_since)
       SELECT id, tenant_id AS "tenantId", valid_until::text AS "validUntil",
              status_since::text AS "statusSince"
         FROM expired ORDER BY tenant_id, id`,
    );
  }

  /** Agreements naming an organisation as party or a contact as signatory. */
  agreementsNaming(
    manager: EntityManager,
    kind: 'organisation' | 'contact',
    id: string,
  ): Promise<{ id: string; title: string }[]> {
    const [table, column] =
      kind === 'organisation'
        ? ['agreement_parties', 'partner_organisation_id']
        : ['agreement_signatories', 'contact_id'];
    return manager.query(
      `SELECT DISTINCT a.id, a.title, a.listed_on, a.created_at
         FROM ${table} r JOIN agreements a ON a.id = r.agreement_id
        WHERE r.${column} = $1 ORDER BY a.listed_on DESC, a.created_at DESC, a.id DESC`,
      [id],
    );
  }

  // ---------------------------------------------------------------- follow-up reminders

  /**
   * An open follow-up whose owner is an active staff member with an
   * address, with what plans its reminders (the agency's hour, overdue days
   * and zone). Null when there is nothing to remind of.
   */
  async followUpReminder(
    manager: EntityManager,
    followUpId: string,
  ): Promise<FollowUpReminderPlan | null> {
    const [row] = await manager.query<FollowUpReminderPlan[]>(
      `SELECT f.id, f.tenant_id AS "tenantId", f.due_on::text AS "dueOn",
              u.id AS "userId", u.email::text AS email,
              tn.follow_up_reminder_hour AS hour, tn.follow_up_overdue_days AS "overdueDays",
              tn.timezone AS "timeZone"
         FROM follow_ups f
         JOIN users u ON u.id = f.owner_user_id
         JOIN tenants tn ON tn.id = f.tenant_id
        WHERE f.id = $1 AND f.done_at IS NULL AND u.active`,
      [followUpId],
    );
    return row ?? null;
  }

  /** What a follow-up reminder says: the follow-up, its agreement and its owner now. */
  async followUpReminderFacts(
    manager: EntityManager,
    followUpId: string,
  ): Promise<FollowUpReminderFacts | null> {
    const [row] = await manager.query<FollowUpReminderFacts[]>(
      `SELECT f.title, f.due_on::text AS "dueOn", f.notes, f.done_at IS NOT NULL AS done,
              f.owner_user_id AS "ownerUserId", a.id AS "agreementId", a.title AS "agreementTitle"
         FROM follow_ups f JOIN agreements a ON a.id = f.agreement_id
        WHERE f.id = $1`,
      [followUpId],
    );
    return row ?? null;
  }

  // ---------------------------------------------------------------- follow-ups

  lockFollowUp(
    manager: EntityManager,
    tenantId: string,
    agreementId: string,
    id: string,
  ): Promise<FollowUp | null> {
    return manager.findOne(FollowUp, {
      where: { tenantId, agreementId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** A follow-up with the agency's today: one statement. */
  async findFollowUp(
    tenantId: string,
    agreementId: string,
    id: string,
  ): Promise<FollowUpRow | null> {
    const [row] = await this.dataSource.query<FollowUpRow[]>(
      `SELECT ${this.followUpColumns}, ${AGENCY_TODAY('$1')}::text AS "agencyToday"
         FROM follow_ups f WHERE f.tenant_id = $1 AND f.agreement_id = $2 AND f.id = $3`,
      [tenantId, agreementId, id],
    );
    return row ?? null;
  }

  /**
   * Follow-ups by due day, then id, each with the agency's today (for
   * `overdue`): of one agreement (an unknown one is 404), or across the
   * agency's agreements with the filters of the "what is due" view. One
   * plain SQL statement (issue 21).
   */
  followUpsPage(
    tenantId: string,
    agreementId: string | null,
    query: FollowUpFilters & PageQueryDto,
  ): Promise<Page<FollowUpRow>> {
    const params: unknown[] = [tenantId];
    const where = ['f.tenant_id = $1'];
    const add = (condition: (placeholder: string) => string, value: unknown) =>
      where.push(condition(`$${params.push(value)}`));
    // The agreement, when given, is $2, as the condition on its row below has it.
    if (agreementId) add((p) => `f.agreement_id = ${p}`, agreementId);
    if (query.ownerUserId) add((p) => `f.owner_user_id = ${p}`, query.ownerUserId);
    if (query.tripId) {
      add(
        (p) => `f.agreement_id IN (SELECT a.id FROM agreements a WHERE a.trip_id = ${p})`,
        query.tripId,
      );
    }
    if (query.state === 'done') where.push('f.done_at IS NOT NULL');
    if (query.state === 'open') where.push('f.done_at IS NULL');
    if (query.state === 'overdue') {
      where.push(`f.done_at IS NULL AND f.due_on < ${AGENCY_TODAY('$1')}`);
    }
    if (query.dueBefore) add((p) => `f.due_on < ${p}::date`, query.dueBefore);
    const run = (sql: string, values: unknown[]) =>
      this.dataSource.query<FollowUpRow[]>(sql, values);
    return keysetPageSql<FollowUpRow>(
      agreementId
        ? inParent(
            run,
            { from: 'agreements a', where: 'a.tenant_id = $1 AND a.id = $2' },
            FOLLOW_UP_ORDER,
            () => new NotFound('agreement'),
          )
        : run,
      {
        select: `SELECT ${this.followUpColumns}, ${AGENCY_TODAY('$1')}::text AS "agencyToday"
                   FROM follow_ups f`,
        where,
        params,
      },
      { ...FOLLOW_UP_ORDER, query },
    );
  }
}
