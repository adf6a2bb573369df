import type { DataSource } from 'typeorm';
import {
  inParent,
  keysetPageSql,
  type KeysetOptions,
  type Page,
} from '../../common/pagination/pagination.js';
import { NotFound } from '../../common/problem/domain-error.js';
import { selectColumns } from '../../database/select-columns.js';
import type { ListWebhookDeliveriesQuery } from './dto/webhook-delivery.dto.js';
import type { WebhookAttempt } from './entities/webhook-attempt.entity.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';

/** A delivery with its attempts in order, as its log shows them. */
export type DeliveryRow = WebhookDelivery & { log: WebhookAttempt[] };

/** The attempts of delivery `d` in order, as a JSON column of its row (instants as text). */
const LOG = `coalesce((SELECT json_agg(json_build_object(
    'id', x.id, 'attempt', x.attempt, 'startedAt', x.started_at, 'durationMs', x.duration_ms,
    'responseStatus', x.response_status, 'responseBody', x.response_body, 'error', x.error,
    'nextRetryAt', x.next_retry_at) ORDER BY x.attempt, x.started_at)
   FROM webhook_attempts x WHERE x.delivery_id = d.id), '[]') AS log`;

/** Newest first; served by (endpoint_id, created_at, id). */
const ORDER: Pick<KeysetOptions<DeliveryRow>, 'keys' | 'direction'> = {
  keys: [
    { column: 'd.created_at', property: 'createdAt' },
    { column: 'd.id', property: 'id' },
  ],
  direction: 'DESC',
};

/**
 * An endpoint's delivery log as one plain SQL statement (issue 21): the
 * page of deliveries with their attempts, joined to the endpoint's row of
 * the agency (an unknown endpoint is 404).
 */
export class WebhookDeliveryReads {
  private readonly select: string;

  constructor(private readonly dataSource: DataSource) {
    this.select = `SELECT ${selectColumns(dataSource.getMetadata(WebhookDelivery), 'd')}, ${LOG}
      FROM webhook_deliveries d`;
  }

  async page(
    tenantId: string,
    endpointId: string,
    query: ListWebhookDeliveriesQuery,
  ): Promise<Page<DeliveryRow>> {
    const params: unknown[] = [tenantId, endpointId];
    const where = ['d.endpoint_id = $2'];
    const add = (condition: (placeholder: string) => string, value: unknown) =>
      where.push(condition(`$${params.push(value)}`));
    if (query.status) add((p) => `d.status = ${p}`, query.status);
    if (query.eventType) add((p) => `d.event_type = ${p}`, query.eventType);
    if (query.from) add((p) => `d.created_at >= ${p}`, query.from);
    if (query.to) add((p) => `d.created_at < ${p}`, query.to);
    const page = await keysetPageSql<DeliveryRow>(
      inParent(
        (sql, values) => this.dataSource.query<DeliveryRow[]>(sql, values),
        { from: 'webhook_endpoints e', where: 'e.tenant_id = $1 AND e.id = $2' },
        ORDER,
        () => new NotFound('webhook endpoint'),
      ),
      { select: this.select, where, params },
      { ...ORDER, query },
    );
    for (const row of page.items) {
      for (const attempt of row.log) {
        attempt.startedAt = new Date(attempt.startedAt);
        attempt.nextRetryAt = attempt.nextRetryAt && new Date(attempt.nextRetryAt);
      }
    }
    return page;
  }
}
