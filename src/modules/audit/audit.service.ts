import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page } from '../../common/pagination/pagination.js';
import type { Actor, Origin } from '../identity/access/actor.js';
import type { ListAuditEventsQuery } from './dto/audit-event.dto.js';
import type { Writes } from './changes.js';
import { AuditEvent, type ActorType, type Changes } from './entities/audit-event.entity.js';

/** Who an audit event is attributed to. */
export interface AuditActor {
  type: ActorType;
  id: string | null;
  origin: Origin;
}

export interface AuditRecord {
  tenantId: string;
  action: string;
  entityType: string;
  entityId: string | null;
  changes?: Changes | null;
}

export const REDACTED = '[redacted]';

/** The worker's scheduled jobs, as the audit trail names them. */
export const SYSTEM_ACTOR: AuditActor = {
  type: 'system',
  id: null,
  origin: { requestId: 'worker', ip: '127.0.0.1' },
};

export function auditActor(actor: Actor): AuditActor {
  return { type: actor.kind, id: actor.id, origin: actor.origin };
}

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Empties the recorded changes of these entities (a person's data erased):
   * the events stay, what they said about the person goes. `actionPrefix`
   * limits it to some actions (e.g. `travel_document.`).
   */
  async forgetChanges(
    manager: EntityManager,
    tenantId: string,
    entityType: string,
    entityIds: string[],
    actionPrefix = '',
  ): Promise<void> {
    await manager.query(
      `UPDATE audit_events SET changes = NULL
        WHERE tenant_id = $1 AND entity_type = $2 AND entity_id = ANY($3)
          AND action LIKE $4 || '%'`,
      [tenantId, entityType, entityIds, actionPrefix],
    );
  }

  /**
   * Written in the caller's transaction, so the event exists exactly when the
   * change does. Modules record changes through `Changes` (the seam), which
   * calls this; sign-in events without a record changed come here directly.
   */
  async record(manager: EntityManager, actor: AuditActor, event: AuditRecord): Promise<void> {
    const row = manager.create(AuditEvent, {
      tenantId: event.tenantId,
      actorType: actor.type,
      actorId: actor.id,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      changes: event.changes ?? null,
      requestId: actor.origin.requestId,
      ip: actor.origin.ip,
    });
    await manager.save(row);
  }

  /** The same event, among a change's writes (`Changes.record` runs them). */
  recordIn(writes: Writes, actor: AuditActor, event: AuditRecord): void {
    const values = [
      event.tenantId,
      actor.type,
      actor.id,
      event.action,
      event.entityType,
      event.entityId,
      event.changes ? JSON.stringify(event.changes) : null,
      actor.origin.requestId,
      actor.origin.ip,
    ].map((value) => writes.param(value));
    writes.add(
      `INSERT INTO audit_events
         (tenant_id, actor_type, actor_id, action, entity_type, entity_id, changes, request_id, ip)
       VALUES (${values[0]}::uuid, ${values[1]}, ${values[2]}::uuid, ${values[3]}, ${values[4]},
               ${values[5]}::uuid, ${values[6]}::jsonb, ${values[7]}, ${values[8]})`,
    );
  }

  /** Newest first; served by (tenant_id, at, id). */
  async list(actor: Actor, query: ListAuditEventsQuery): Promise<Page<AuditEvent>> {
    const builder = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .where('event.tenant_id = :tenantId', { tenantId: actor.tenantId });
    if (query.action) builder.andWhere('event.action = :action', { action: query.action });
    if (query.entityType) {
      builder.andWhere('event.entity_type = :entityType', { entityType: query.entityType });
    }
    if (query.entityId)
      builder.andWhere('event.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorId) builder.andWhere('event.actor_id = :actorId', { actorId: query.actorId });
    if (query.updatedSince) {
      builder.andWhere('event.at >= :since', { since: query.updatedSince });
    }
    return keysetPage(builder, {
      keys: [
        { column: 'event.at', property: 'at' },
        { column: 'event.id', property: 'id' },
      ],
      direction: 'DESC',
      query,
    });
  }
}
