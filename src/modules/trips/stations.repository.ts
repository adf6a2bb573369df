import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  keysetPageSql,
  type KeysetOptions,
  type Page,
  type PageQueryDto,
} from '../../common/pagination/pagination.js';
import { selectColumns } from '../../database/select-columns.js';
import { Station } from './entities/station.entity.js';
import { inTrip } from './trip-reads.js';

/** In trip order; served by (trip_id, position, id). */
const ORDER: Pick<KeysetOptions<Station>, 'keys' | 'direction'> = {
  keys: [
    { column: 's.position', property: 'position' },
    { column: 's.id', property: 'id' },
  ],
  direction: 'ASC',
};

@Injectable()
export class StationsRepository {
  private readonly columns: string;

  constructor(private readonly dataSource: DataSource) {
    this.columns = selectColumns(dataSource.getMetadata(Station), 's');
  }

  findInTrip(tenantId: string, tripId: string, id: string): Promise<Station | null> {
    return this.dataSource.getRepository(Station).findOneBy({ tenantId, tripId, id });
  }

  lockInTrip(manager: EntityManager, tenantId: string, tripId: string, id: string) {
    return manager.findOne(Station, {
      where: { tenantId, tripId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async nextPosition(manager: EntityManager, tripId: string): Promise<number> {
    const [row] = await manager.query<{ next: number }[]>(
      'SELECT coalesce(max(position), 0)::int + 1 AS next FROM stations WHERE trip_id = $1',
      [tripId],
    );
    return row?.next ?? 1;
  }

  /**
   * In trip order, in one plain SQL statement joined to the trip's row
   * (issue 21): an unknown trip is 404 without a statement of its own.
   */
  page(tenantId: string, tripId: string, query: PageQueryDto): Promise<Page<Station>> {
    return keysetPageSql<Station>(
      inTrip((sql, params) => this.dataSource.query<Station[]>(sql, params), ORDER),
      {
        select: `SELECT ${this.columns} FROM stations s`,
        where: ['s.tenant_id = $1', 's.trip_id = $2'],
        params: [tenantId, tripId],
      },
      { ...ORDER, query },
    );
  }
}
