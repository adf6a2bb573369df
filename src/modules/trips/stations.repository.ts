import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page, type PageQueryDto } from '../../common/pagination/pagination.js';
import { Station } from './entities/station.entity.js';

@Injectable()
export class StationsRepository {
  constructor(private readonly dataSource: DataSource) {}

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

  /** In trip order; served by (trip_id, position, id). */
  page(tenantId: string, tripId: string, query: PageQueryDto): Promise<Page<Station>> {
    const builder = this.dataSource
      .getRepository(Station)
      .createQueryBuilder('station')
      .where('station.tenant_id = :tenantId AND station.trip_id = :tripId', { tenantId, tripId });
    return keysetPage(builder, {
      keys: [
        { column: 'station.position', property: 'position' },
        { column: 'station.id', property: 'id' },
      ],
      direction: 'ASC',
      query,
    });
  }
}
