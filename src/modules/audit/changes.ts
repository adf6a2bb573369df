import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, REDACTED, type AuditActor } from './audit.service.js';
import type { Changes as FieldChanges } from './entities/audit-event.entity.js';
import type { Notice } from '../../common/notice.dto.js';

/**
 * A kind of record that changes, declared once by the module that owns it:
 * its name in the audit trail and the fields that hold personal data, whose
 * values the trail never keeps (it says they changed, not from what to what).
 */
export interface Subject {
  readonly type: string;
  readonly personalFields: readonly string[];
}

export function subject(type: string, personalFields: readonly string[] = []): Subject {
  return { type, personalFields };
}

/** One change of one record, as the module that made it describes it. */
export interface Change {
  tenantId: string;
  subject: Subject;
  /** The record's id; null where there is none (a failed sign-in). */
  id: string | null;
  /** What happened, as `<type>.<verb>`, e.g. `participant.status_changed`. */
  action: string;
  /** The fields that changed, with their values unredacted (see `diff`). */
  changes?: FieldChanges | null;
  /**
   * Facts about the record beyond the changed fields that subscribers may
   * need (e.g. the participant's trip and status), read in the same transaction.
   */
  facts?: Readonly<Record<string, unknown>>;
}

/** A change as subscribers see it: with who made it and when. */
export interface RecordedChange extends Change {
  actor: AuditActor;
  changes: FieldChanges | null;
  occurredAt: Date;
  /**
   * Writes that wait for the other subscribers: they run with the audit
   * event, as one statement, once every subscriber is done (see `Writes`).
   * A subscriber that reads what another one writes writes at once instead.
   */
  writes: Writes;
}

/**
 * Writes run as one statement, each a data-modifying CTE (`INSERT`,
 * `UPDATE` ... `RETURNING`) with its parameters: one round trip for the
 * audit event and what the subscribers of a change write. All parts see the
 * snapshot the statement starts with, so they must touch different rows and
 * see each other's rows only through a part's name (its `RETURNING` rows).
 */
export class Writes {
  private readonly parts: string[] = [];
  private readonly values: unknown[] = [];

  /** The placeholder of a bound value. */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Adds a write; answers its name, under which later parts read its `RETURNING` rows. */
  add(sql: string): string {
    const name = `write_${this.parts.length + 1}`;
    this.parts.push(`${name} AS (${sql})`);
    return name;
  }

  /**
   * Runs the writes (none: nothing) and starts afresh; answers the rows the
   * part named `result` returns, if one is named.
   */
  async run<T = never>(manager: EntityManager, result?: string): Promise<T[]> {
    if (this.parts.length === 0) return [];
    const sql = `WITH ${this.parts.join(',\n')} SELECT ${result ? `* FROM ${result}` : '1'}`;
    const values = [...this.values];
    this.parts.length = 0;
    this.values.length = 0;
    const rows = await manager.query<T[]>(sql, values);
    return result ? rows : [];
  }
}

/**
 * Reacts to a change inside its transaction; throwing rolls the change back.
 * What it did beyond the change that the requester should know, it answers
 * as notices (shown in the response).
 */
export type ChangeSubscriber = (
  manager: EntityManager,
  change: RecordedChange,
) => Promise<void | readonly Notice[]>;

/** Equal values, arrays and dates included (compared by their JSON). */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields of `after` whose values differ from `before`, as
 * `{ field: { before, after } }`; null when none do. Fields `after` does not
 * mention (undefined) are not compared: `after` is what a request sent.
 */
export function diff<T extends object>(before: Partial<T>, after: Partial<T>): FieldChanges | null {
  const changes: FieldChanges = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    const [was, is] = [before[key] ?? null, after[key] ?? null];
    if (after[key] === undefined || sameValue(was, is)) continue;
    changes[key] = { before: was, after: is };
  }
  return Object.keys(changes).length > 0 ? changes : null;
}

/** The changes as the audit trail keeps them: personal values replaced by a marker. */
export function redact(changes: FieldChanges | null, subject: Subject): FieldChanges | null {
  if (!changes) return null;
  return Object.fromEntries(
    Object.entries(changes).map(([field, change]) => [
      field,
      subject.personalFields.includes(field)
        ? {
            before: change.before === null ? null : REDACTED,
            after: change.after === null ? null : REDACTED,
          }
        : change,
    ]),
  );
}

/**
 * The one seam every write goes through (README, "Architecture"). Called
 * inside the transaction of the change, it writes the audit event and hands
 * the change to the subscribers other modules registered for its subject
 * (messages to the outbox, counters, later webhooks), all in that
 * transaction: the change, its trail and its consequences commit together
 * or not at all.
 */
@Injectable()
export class Changes {
  private readonly subscribers = new Map<string, ChangeSubscriber[]>();

  constructor(private readonly audit: AuditService) {}

  /** Registers `subscriber` for every change of records of `type` (at start-up). */
  subscribe(type: Subject | string, subscriber: ChangeSubscriber): void {
    const key = typeof type === 'string' ? type : type.type;
    this.subscribers.set(key, [...(this.subscribers.get(key) ?? []), subscriber]);
  }

  /** Records the change; answers what subscribers did beyond it, for the response. */
  async record(manager: EntityManager, actor: AuditActor, change: Change): Promise<Notice[]> {
    const recorded: RecordedChange = {
      ...change,
      changes: change.changes ?? null,
      actor,
      occurredAt: new Date(),
      writes: new Writes(),
    };
    // Nothing in the change's transaction reads the trail: the event waits for the subscribers'
    // writes, to go with them in one statement.
    this.audit.recordIn(recorded.writes, actor, {
      tenantId: change.tenantId,
      action: change.action,
      entityType: change.subject.type,
      entityId: change.id,
      changes: redact(recorded.changes, change.subject),
    });
    const notices: Notice[] = [];
    for (const subscriber of this.subscribers.get(change.subject.type) ?? []) {
      notices.push(...((await subscriber(manager, recorded)) ?? []));
    }
    await recorded.writes.run(manager);
    return notices;
  }
}
