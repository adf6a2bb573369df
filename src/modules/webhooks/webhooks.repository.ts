import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page, type PageQueryDto } from '../../common/pagination/pagination.js';
import { handOverRows } from '../../database/outbox-hand-over.js';
import { WebhookAttempt } from './entities/webhook-attempt.entity.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import type { SendResult } from './webhook-sender.js';
import { ALL_EVENTS, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_TIMEOUT_MS } from './webhooks.constants.js';

const API = '/api/v1';

/** An event as a module's change describes it. */
export interface WebhookEvent {
  tenantId: string;
  type: string;
  resource: { type: 'trip' | 'participant' | 'invitation' | 'meeting' | 'agreement'; id: string };
  changedFields: string[];
  occurredAt: Date;
}

/** Each resource's trip and URL in the API, as SQL over its id (`$4`). */
const RESOURCES: Record<WebhookEvent['resource']['type'], { trip: string; url: string }> = {
  trip: { trip: '$4::uuid', url: `'${API}/trips/' || $4::uuid` },
  participant: {
    trip: '(SELECT trip_id FROM participants WHERE id = $4::uuid)',
    url: `'${API}/trips/' || (SELECT trip_id FROM participants WHERE id = $4::uuid) || '/participants/' || $4::uuid`,
  },
  invitation: {
    trip: '(SELECT trip_id FROM invitations WHERE id = $4::uuid)',
    url: `'${API}/trips/' || (SELECT trip_id FROM invitations WHERE id = $4::uuid) || '/invitations/' || $4::uuid`,
  },
  meeting: {
    trip: '(SELECT trip_id FROM meetings WHERE id = $4::uuid)',
    url: `'${API}/trips/' || (SELECT trip_id FROM meetings WHERE id = $4::uuid) || '/meetings/' || $4::uuid`,
  },
  agreement: {
    trip: '(SELECT trip_id FROM agreements WHERE id = $4::uuid)',
    url: `'${API}/agreements/' || $4::uuid`,
  },
};

/** A delivery claimed for an attempt, with what sending it needs. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  endpoint: WebhookEndpoint;
}

/** The agencies' webhook endpoints, and their deliveries and attempts. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The agency's active owners and admins, who hear of an endpoint switched off. */
  admins(manager: EntityManager, tenantId: string): Promise<{ id: string; email: string }[]> {
    return manager.query(
      `SELECT id, email FROM users
        WHERE tenant_id = $1 AND active AND role IN ('owner', 'admin') ORDER BY created_at, id`,
      [tenantId],
    );
  }

  /** An endpoint as a message about it says it. */
  endpointFacts(manager: EntityManager, id: string): Promise<WebhookEndpoint | null> {
    return manager.findOneBy(WebhookEndpoint, { id });
  }

  findInTenant(tenantId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.dataSource.getRepository(WebhookEndpoint).findOneBy({ tenantId, id });
  }

  /** An agency's endpoints, newest first. */
  page(tenantId: string, query: PageQueryDto): Promise<Page<WebhookEndpoint>> {
    const builder = this.dataSource
      .getRepository(WebhookEndpoint)
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId', { tenantId });
    return keysetPage(builder, {
      keys: [
        { column: 'e.created_at', property: 'createdAt' },
        { column: 'e.id', property: 'id' },
      ],
      direction: 'DESC',
      query,
    });
  }

  /**
   * One delivery per active endpoint of the agency that subscribes to the
   * event, in the caller's transaction, in one statement: the payload names
   * the resource, its trip and URL, and the event's place in the sequence
   * that orders events (of a resource). Nothing when no endpoint wants it.
   */
  async addEvent(manager: EntityManager, event: WebhookEvent): Promise<void> {
    const { trip, url } = RESOURCES[event.resource.type];
    await manager.query(
      `WITH endpoints AS (
              SELECT id FROM webhook_endpoints
               WHERE tenant_id = $1 AND active
                 AND (event_types @> ARRAY[$2]::text[] OR event_types @> ARRAY['${ALL_EVENTS}']::text[])),
            event AS (
              SELECT gen_random_uuid() AS id, nextval('webhook_event_sequence') AS sequence
               WHERE EXISTS (SELECT 1 FROM endpoints))
       INSERT INTO webhook_deliveries
              (id, tenant_id, endpoint_id, event_id, event_type, payload, status, due_at, attempt_limit)
       SELECT gen_random_uuid(), $1, endpoints.id, event.id, $2,
              jsonb_build_object(
                'id', event.id, 'type', $2::text, 'timestamp', $5::timestamptz, 'tenantId', $1::uuid,
                'data', jsonb_build_object(
                  'resource', jsonb_build_object('type', $3::text, 'id', $4::uuid, 'url', ${url}),
                  'tripId', ${trip},
                  'sequence', event.sequence,
                  'changedFields', $6::jsonb)),
              'scheduled', now(), ${WEBHOOK_MAX_ATTEMPTS}
         FROM endpoints, event`,
      [
        event.tenantId,
        event.type,
        event.resource.type,
        event.resource.id,
        event.occurredAt,
        JSON.stringify(event.changedFields),
      ],
    );
  }

  /**
   * The events that come from time passing rather than a change, each once
   * per endpoint (by its key), in one statement each: `follow_up.due` for
   * open follow-ups due today in their agency's calendar, and
   * `notification.failed` for messages that failed in the last day. Only
   * agencies with an endpoint that wants them are looked at. Returns how
   * many deliveries it added.
   */
  async addTimedEvents(): Promise<number> {
    const wanted = (type: string) =>
      `SELECT e.id, e.tenant_id FROM webhook_endpoints e
        WHERE e.active AND (e.event_types @> ARRAY['${type}']::text[]
                            OR e.event_types @> ARRAY['${ALL_EVENTS}']::text[])`;
    const insert = (type: string, rows: string, resource: string, url: string) =>
      this.dataSource.query<[unknown[], number]>(
        `WITH endpoints AS (${wanted(type)}),
              due AS (${rows})
         INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, event_key,
                                         payload, status, due_at, attempt_limit)
         SELECT gen_random_uuid(), due.tenant_id, endpoints.id, ev.id, '${type}', due.key,
                jsonb_build_object(
                  'id', ev.id, 'type', '${type}', 'timestamp', now(), 'tenantId', due.tenant_id,
                  'data', jsonb_build_object(
                    'resource', jsonb_build_object('type', '${resource}', 'id', due.id, 'url', ${url}),
                    'tripId', due.trip_id,
                    'sequence', ev.sequence,
                    'changedFields', due.changed)),
                'scheduled', now(), ${WEBHOOK_MAX_ATTEMPTS}
           FROM due JOIN endpoints ON endpoints.tenant_id = due.tenant_id
          CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id,
                                     nextval('webhook_event_sequence') AS sequence) ev
         ON CONFLICT (endpoint_id, event_key) WHERE event_key IS NOT NULL DO NOTHING`,
      );
    const [, followUps] = await insert(
      'follow_up.due',
      `SELECT f.id, f.tenant_id, a.trip_id, f.agreement_id, '[]'::jsonb AS changed,
              'follow_up.due:' || f.id || ':' || f.due_on AS key
         FROM follow_ups f JOIN agreements a ON a.id = f.agreement_id
         JOIN tenants tn ON tn.id = f.tenant_id
        WHERE f.tenant_id IN (SELECT tenant_id FROM endpoints) AND f.done_at IS NULL
          AND f.due_on = (now() AT TIME ZONE tn.timezone)::date`,
      'follow_up',
      `'${API}/agreements/' || due.agreement_id || '/follow-ups/' || due.id`,
    );
    const [, failures] = await insert(
      'notification.failed',
      `SELECT n.id, n.tenant_id, n.trip_id, '["status"]'::jsonb AS changed,
              'notification.failed:' || n.id AS key
         FROM notifications n
        WHERE n.tenant_id IN (SELECT tenant_id FROM endpoints) AND n.status = 'failed'
          AND n.updated_at > now() - interval '1 day'`,
      'notification',
      `'${API}/notifications/' || due.id`,
    );
    return followUps + failures;
  }

  /**
   * Hands deliveries over to the queue and marks them `queued`
   * (handOverRows): those due (`scheduled`), the oldest first, or those
   * handed over more than `overdueAfterMs` ago and not started (a job Redis
   * lost), or started longer ago than an attempt can last (a worker that
   * died). Returns how many.
   */
  handOver(
    which: 'due' | { overdueAfterMs: number },
    limit: number,
    enqueue: (rows: { id: string; attempts: number }[]) => Promise<void>,
  ): Promise<number> {
    const [where, order, params] =
      which === 'due'
        ? [`status = 'scheduled' AND due_at <= now()`, 'ORDER BY due_at', []]
        : [
            // An attempt lasts WEBHOOK_TIMEOUT_MS at most: one started a minute longer ago died
            // with its worker.
            `(status = 'queued' AND handed_over_at < now() - $1 * interval '1 millisecond')
             OR (status = 'sending' AND handed_over_at < now() - $2 * interval '1 millisecond')`,
            '',
            [which.overdueAfterMs, WEBHOOK_TIMEOUT_MS + 60_000],
          ];
    return handOverRows(
      this.dataSource,
      {
        table: 'webhook_deliveries',
        where,
        params,
        order,
        set: `status = 'queued', handed_over_at = now()`,
        returning: 'id, attempts',
      },
      limit,
      enqueue,
    );
  }

  /**
   * Takes a queued delivery for its next attempt (`sending`, one more
   * attempt counted), with its endpoint; null when it is not queued (sent
   * already, or another worker has it).
   */
  async claim(id: string): Promise<ClaimedDelivery | null> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[WebhookDelivery[], number]>(
        `UPDATE webhook_deliveries
            SET status = 'sending', attempts = attempts + 1, handed_over_at = now()
          WHERE id = $1 AND status = 'queued' AND attempts < attempt_limit
          RETURNING id`,
        [id],
      );
      if (rows.length === 0) {
        // Handed over again with no attempt left (its last attempt's worker died): it failed.
        await manager.query(
          `UPDATE webhook_deliveries SET status = 'failed'
            WHERE id = $1 AND status = 'queued' AND attempts >= attempt_limit`,
          [id],
        );
        return null;
      }
      const delivery = await manager.findOneByOrFail(WebhookDelivery, { id });
      const endpoint = await manager.findOneByOrFail(WebhookEndpoint, { id: delivery.endpointId });
      return { delivery, endpoint };
    });
  }

  /**
   * Records an attempt and where it leaves the delivery: succeeded;
   * scheduled again at `retryAt`; or failed for good. The endpoint's
   * failure record follows: cleared on success, started on a failure, and
   * the endpoint switched off when it has failed since before `disableBefore`
   * (`onDisabled` then runs in the same transaction). Returns whether this
   * switched the endpoint off.
   */
  async recordAttempt(
    attemptId: string,
    claimed: ClaimedDelivery,
    result: SendResult,
    startedAt: Date,
    retryAt: Date | null,
    disableBefore: Date,
    onDisabled: (manager: EntityManager) => Promise<unknown>,
  ): Promise<{ disabled: boolean }> {
    const { delivery, endpoint } = claimed;
    const succeeded = result.status !== null && result.status >= 200 && result.status < 300;
    return this.dataSource.transaction(async (manager) => {
      await manager.insert(WebhookAttempt, {
        id: attemptId,
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        startedAt,
        durationMs: result.durationMs,
        responseStatus: result.status,
        responseBody: result.body,
        error: result.error,
        nextRetryAt: succeeded ? null : retryAt,
      });
      // Only the attempt in progress decides: a worker that stalled past the relay's second look
      // finds another attempt made meanwhile and leaves the outcome to it.
      const [, current] = await manager.query<[unknown[], number]>(
        `UPDATE webhook_deliveries SET status = $2, due_at = coalesce($3, due_at)
          WHERE id = $1 AND status = 'sending' AND attempts = $4`,
        [
          delivery.id,
          succeeded ? 'succeeded' : retryAt ? 'scheduled' : 'failed',
          retryAt,
          delivery.attempts,
        ],
      );
      // Test events and a switched-off endpoint's leftovers say nothing of the receiver's health.
      if (current === 0 || delivery.eventType === 'webhook.test' || !endpoint.active) {
        return { disabled: false };
      }
      if (succeeded) {
        await manager.query(
          `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
          [endpoint.id],
        );
        return { disabled: false };
      }
      const switchOff = `e.active AND coalesce(e.failing_since, $2) < $3`;
      const [rows] = await manager.query<[{ disabled: boolean }[], number]>(
        `WITH before AS (SELECT active FROM webhook_endpoints WHERE id = $1 FOR UPDATE)
         UPDATE webhook_endpoints e
            SET failing_since = coalesce(e.failing_since, $2),
                active = NOT (${switchOff}) AND e.active,
                disabled_for_failures_at = CASE WHEN ${switchOff} THEN now()
                                                ELSE e.disabled_for_failures_at END,
                version = e.version + CASE WHEN ${switchOff} THEN 1 ELSE 0 END,
                updated_at = CASE WHEN ${switchOff} THEN now() ELSE e.updated_at END
           FROM before
          WHERE e.id = $1
          RETURNING before.active AND NOT e.active AS disabled`,
        [endpoint.id, startedAt, disableBefore],
      );
      const disabled = rows[0]?.disabled === true;
      if (disabled) await onDisabled(manager);
      return { disabled };
    });
  }

  /**
   * An attempt that broke off with an error of ours (not the receiver's):
   * due again at `retryAt`, or failed when it was the last.
   */
  async releaseAfterError(delivery: WebhookDelivery, retryAt: Date | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = $2, due_at = coalesce($3, due_at)
        WHERE id = $1 AND status = 'sending' AND attempts = $4`,
      [delivery.id, retryAt ? 'scheduled' : 'failed', retryAt, delivery.attempts],
    );
  }

  /** The attempts of several deliveries, in order: one statement. */
  async attempts(deliveryIds: string[]): Promise<Map<string, WebhookAttempt[]>> {
    const attempts = new Map<string, WebhookAttempt[]>(deliveryIds.map((id) => [id, []]));
    if (deliveryIds.length === 0) return attempts;
    const rows = await this.dataSource
      .getRepository(WebhookAttempt)
      .createQueryBuilder('a')
      .where('a.delivery_id = ANY(:ids)', { ids: deliveryIds })
      .orderBy('a.delivery_id')
      .addOrderBy('a.attempt')
      .addOrderBy('a.started_at')
      .getMany();
    for (const row of rows) attempts.get(row.deliveryId)!.push(row);
    return attempts;
  }

  findDelivery(endpointId: string, id: string): Promise<WebhookDelivery | null> {
    return this.dataSource.getRepository(WebhookDelivery).findOneBy({ endpointId, id });
  }

  /** Due again at once, with at least one more attempt allowed; false when it is under way. */
  async redeliver(endpointId: string, id: string): Promise<boolean> {
    const [rows] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE webhook_deliveries
          SET status = 'scheduled', due_at = now(), attempt_limit = greatest(attempt_limit, attempts + 1)
        WHERE endpoint_id = $1 AND id = $2 AND status IN ('succeeded', 'failed', 'scheduled')
        RETURNING id`,
      [endpointId, id],
    );
    return rows.length > 0;
  }

  /** A `webhook.test` delivery to one endpoint, taken for sending at once. */
  async addTest(
    manager: EntityManager,
    endpoint: WebhookEndpoint,
    at: Date,
  ): Promise<ClaimedDelivery> {
    const [row] = await manager.query<{ id: string; sequence: string }[]>(
      `SELECT gen_random_uuid() AS id, nextval('webhook_event_sequence') AS sequence`,
    );
    const delivery = manager.create(WebhookDelivery, {
      id: row.id,
      tenantId: endpoint.tenantId,
      endpointId: endpoint.id,
      eventId: row.id,
      eventType: 'webhook.test',
      payload: {
        id: row.id,
        type: 'webhook.test',
        timestamp: at.toISOString(),
        tenantId: endpoint.tenantId,
        data: {
          resource: {
            type: 'webhook_endpoint',
            id: endpoint.id,
            url: `${API}/webhook-endpoints/${endpoint.id}`,
          },
          sequence: Number(row.sequence),
          changedFields: [],
        },
      },
      status: 'sending',
      attempts: 1,
      attemptLimit: 1,
      dueAt: at,
      handedOverAt: at,
    });
    await manager.save(delivery);
    return { delivery, endpoint };
  }
}
