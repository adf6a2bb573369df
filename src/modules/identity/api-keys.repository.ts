import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page, type PageQueryDto } from '../../common/pagination/pagination.js';
import { ApiKey } from './entities/api-key.entity.js';

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  findBySecretHash(secretHash: string): Promise<ApiKey | null> {
    return this.dataSource.getRepository(ApiKey).findOneBy({ secretHash });
  }

  findInTenant(tenantId: string, id: string): Promise<ApiKey | null> {
    return this.dataSource.getRepository(ApiKey).findOneBy({ tenantId, id });
  }

  lockInTenant(manager: EntityManager, tenantId: string, id: string): Promise<ApiKey | null> {
    return manager.findOne(ApiKey, {
      where: { tenantId, id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Records use at most once a minute, and without touching version or
   * updated_at: using a key is not editing it.
   */
  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  /** Newest first; served by (tenant_id, created_at, id). */
  page(tenantId: string, query: PageQueryDto): Promise<Page<ApiKey>> {
    const builder = this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('key')
      .where('key.tenant_id = :tenantId', { tenantId });
    return keysetPage(builder, {
      keys: [
        { column: 'key.created_at', property: 'createdAt' },
        { column: 'key.id', property: 'id' },
      ],
      direction: 'DESC',
      query,
    });
  }
}
