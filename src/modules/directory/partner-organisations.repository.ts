import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPageWithRaw, type Page } from '../../common/pagination/pagination.js';
import { MET_ON_TRIP, ORGANISATIONS_REACHED_IN, REPRESENTED_ON_TRIP } from '../reports/reach.js';
import { ORGANISATION_SEARCH_TEXT } from './directory.constants.js';
import type { ListPartnerOrganisationsQuery } from './dto/partner-organisation.dto.js';
import { PartnerOrganisation } from './entities/partner-organisation.entity.js';
import { matches, searchParams } from './search.js';

/** An organisation with the agreements it is party to, per status (statuses with none left out). */
export interface OrganisationWithCounts {
  organisation: PartnerOrganisation;
  agreementCounts: Record<string, number>;
}

/** The agreements of organisation `org` per status, as a subquery of its row (issue 21). */
const AGREEMENT_COUNTS = `(SELECT json_object_agg(c.status, c.n ORDER BY c.status)
  FROM (SELECT a.status, count(*)::int AS n
          FROM agreement_parties p JOIN agreements a ON a.id = p.agreement_id
         WHERE p.partner_organisation_id = org.id GROUP BY a.status) c)`;

const withCounts = ({
  entity,
  raw,
}: {
  entity: PartnerOrganisation;
  raw: Record<string, unknown>;
}) => ({
  organisation: entity,
  agreementCounts: (raw.agreementCounts as Record<string, number> | null) ?? {},
});

@Injectable()
export class PartnerOrganisationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** An organisation with its agreement counts: one statement. */
  async findWithCounts(tenantId: string, id: string): Promise<OrganisationWithCounts | null> {
    const { entities, raw } = await this.dataSource
      .getRepository(PartnerOrganisation)
      .createQueryBuilder('org')
      .addSelect(AGREEMENT_COUNTS, 'agreementCounts')
      .where('org.tenant_id = :tenantId AND org.id = :id', { tenantId, id })
      .getRawAndEntities();
    return entities[0]
      ? withCounts({ entity: entities[0], raw: raw[0] as Record<string, unknown> })
      : null;
  }

  /** True when the tenant has this organisation; the row is key-share locked until commit. */
  async existsInTenant(manager: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      'SELECT 1 FROM partner_organisations WHERE tenant_id = $1 AND id = $2 FOR KEY SHARE',
      [tenantId, id],
    );
    return rows.length > 0;
  }

  /** Agreements each organisation is party to, per status (statuses with none left out): one query. */
  async agreementCounts(ids: string[]): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>(ids.map((id) => [id, {}]));
    if (ids.length === 0) return counts;
    const rows = await this.dataSource.query<{ id: string; status: string; n: number }[]>(
      `SELECT p.partner_organisation_id AS id, a.status, count(*)::int AS n
         FROM agreement_parties p JOIN agreements a ON a.id = p.agreement_id
        WHERE p.partner_organisation_id = ANY($1) GROUP BY p.partner_organisation_id, a.status`,
      [ids],
    );
    for (const row of rows) counts.get(row.id)![row.status] = row.n;
    return counts;
  }

  /**
   * By name, then id; served by (tenant_id, name, id), `q` by the trigram
   * index. With their agreement counts, in the same statement.
   */
  async page(
    tenantId: string,
    query: ListPartnerOrganisationsQuery,
  ): Promise<Page<OrganisationWithCounts>> {
    const builder = this.dataSource
      .getRepository(PartnerOrganisation)
      .createQueryBuilder('org')
      .addSelect(AGREEMENT_COUNTS, 'agreementCounts')
      .where('org.tenant_id = :tenantId', { tenantId });
    if (query.q) {
      builder.andWhere(matches(ORGANISATION_SEARCH_TEXT('org')), searchParams(query.q));
    }
    if (query.country) builder.andWhere('org.country = :country', { country: query.country });
    if (query.kind) builder.andWhere('org.kind = :kind', { kind: query.kind });
    if (query.sector) {
      builder.andWhere('org.sectors @> ARRAY[:sector]::text[]', { sector: query.sector });
    }
    if (query.representedOnTrip) {
      builder.andWhere(`org.id IN (${REPRESENTED_ON_TRIP})`, {
        reachTripId: query.representedOnTrip,
      });
    }
    if (query.metOnTrip) {
      builder.andWhere(`org.id IN (${MET_ON_TRIP})`, { reachTripId: query.metOnTrip });
    }
    if (query.reachedIn) {
      builder.andWhere(`org.id IN (${ORGANISATIONS_REACHED_IN})`, { reachYear: query.reachedIn });
    }
    if (query.updatedSince) {
      builder.andWhere('org.updated_at >= :since', { since: query.updatedSince });
    }
    const page = await keysetPageWithRaw(builder, {
      keys: [
        { column: 'org.name', property: 'name' },
        { column: 'org.id', property: 'id' },
      ],
      direction: 'ASC',
      query,
    });
    return { items: page.items.map(withCounts), nextCursor: page.nextCursor };
  }
}
