import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { keysetPageSql, type Page } from '../../common/pagination/pagination.js';
import { NotFound } from '../../common/problem/domain-error.js';
import { preparedQuery } from '../../database/prepared.js';
import { selectColumns } from '../../database/select-columns.js';
import { WIRE_TYPES, type WireRow } from '../../database/wire-timestamps.js';
import type { ListParticipantsQuery } from './dto/participant.dto.js';
import { Participant } from './entities/participant.entity.js';

/**
 * The hot reads of participants (issue 21) as plain SQL: the delegation
 * list is one statement that also tells an unknown trip (404) from an empty
 * page, and a participant one statement, timestamps read as the ISO text the
 * API sends (WireRow). Writes keep going through the entity.
 */
@Injectable()
export class ParticipantReads {
  private readonly columns: string;

  constructor(private readonly dataSource: DataSource) {
    this.columns = selectColumns(dataSource.getMetadata(Participant), 'p');
  }

  async one(tenantId: string, tripId: string, id: string): Promise<WireRow<Participant>> {
    const [row] = await preparedQuery<WireRow<Participant>>(
      this.dataSource,
      `SELECT ${this.columns} FROM participants p
        WHERE p.tenant_id = $1 AND p.trip_id = $2 AND p.id = $3`,
      [tenantId, tripId, id],
      WIRE_TYPES,
    );
    if (!row) throw new NotFound('participant');
    return row;
  }

  /**
   * In registration order; served by (trip_id, registered_at, id). The page
   * is joined to the trip's row: no row at all means no such trip of the
   * agency, one row of nulls an empty page.
   */
  async page(
    tenantId: string,
    tripId: string,
    query: ListParticipantsQuery,
  ): Promise<Page<WireRow<Participant>>> {
    const params: unknown[] = [tenantId, tripId];
    const where = ['p.tenant_id = $1', 'p.trip_id = $2'];
    const add = (condition: (placeholder: string) => string, value: unknown) =>
      where.push(condition(`$${params.push(value)}`));
    if (query.status) add((p) => `p.status = ANY(${p}::text[])`, query.status);
    if (query.role) add((p) => `p.role = ${p}`, query.role);
    if (query.category) add((p) => `p.category = ${p}`, query.category);
    if (query.organisationId) add((p) => `p.organisation_id = ${p}`, query.organisationId);
    if (query.organisationKind || query.organisationCountry) {
      const kind = `$${params.push(query.organisationKind ?? null)}::text`;
      const country = `$${params.push(query.organisationCountry ?? null)}::text`;
      where.push(
        `p.organisation_id IN (SELECT o.id FROM partner_organisations o
          WHERE o.tenant_id = $1 AND coalesce(o.kind = ${kind}, true)
            AND coalesce(o.country = ${country}, true))`,
      );
    }
    if (query.visaStatus) add((p) => `p.visa_status = ${p}`, query.visaStatus);
    if (query.updatedSince) add((p) => `p.updated_at >= ${p}`, query.updatedSince);
    return keysetPageSql<WireRow<Participant>>(
      async (pageSql, values) => {
        const rows = await preparedQuery<WireRow<Participant>>(
          this.dataSource,
          `SELECT page.* FROM trips t LEFT JOIN LATERAL (${pageSql}) page ON true
            WHERE t.tenant_id = $1 AND t.id = $2
            ORDER BY page."registeredAt", page.id`,
          values,
          WIRE_TYPES,
        );
        if (rows.length === 0) throw new NotFound('trip');
        return rows[0].id === null ? [] : rows;
      },
      { select: `SELECT ${this.columns} FROM participants p`, where, params },
      {
        keys: [
          { column: 'p.registered_at', property: 'registeredAt' },
          { column: 'p.id', property: 'id' },
        ],
        direction: 'ASC',
        query,
      },
    );
  }
}
