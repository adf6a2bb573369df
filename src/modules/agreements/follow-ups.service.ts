import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion } from '../../common/etag/etag.js';
import type { Page } from '../../common/pagination/pagination.js';
import { NotFound, ValidationFailed } from '../../common/problem/domain-error.js';
import { sentFields } from '../../common/validation.js';
import { auditActor } from '../audit/audit.service.js';
import { Changes, diff } from '../audit/changes.js';
import type { Actor } from '../identity/access/actor.js';
import { AgreementsRepository } from './agreements.repository.js';
import { FOLLOW_UP } from './agreements.subjects.js';
import type {
  CreateFollowUpDto,
  FollowUpDto,
  ListFollowUpsQuery,
  UpdateFollowUpDto,
} from './dto/follow-up.dto.js';
import type { PageQueryDto } from '../../common/pagination/pagination.js';
import { Agreement } from './entities/agreement.entity.js';
import { FollowUp } from './entities/follow-up.entity.js';

const WHAT = 'follow-up';

/** What a follow-up records in its audit diff. */
const recorded = (followUp: FollowUp) => ({
  agreementId: followUp.agreementId,
  title: followUp.title,
  dueOn: followUp.dueOn,
  ownerUserId: followUp.ownerUserId,
  notes: followUp.notes,
  done: followUp.doneAt !== null,
});

/**
 * What is to be done about an agreement, by when and by whom: per agreement,
 * and across agreements for "what is due this week". Overdue means open and
 * due before today in the agency's timezone.
 */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agreements: AgreementsRepository,
    private readonly changes: Changes,
  ) {}

  /** Across the agency's agreements, by due day. */
  async listAll(actor: Actor, query: ListFollowUpsQuery): Promise<Page<FollowUpDto>> {
    return this.page(actor, null, query);
  }

  /** One agreement's follow-ups, by due day (an unknown agreement is 404, in the same statement). */
  async list(actor: Actor, agreementId: string, query: PageQueryDto): Promise<Page<FollowUpDto>> {
    return this.page(actor, agreementId, query);
  }

  async get(actor: Actor, agreementId: string, id: string): Promise<FollowUpDto> {
    const followUp = await this.agreements.findFollowUp(actor.tenantId, agreementId, id);
    if (!followUp) throw new NotFound(WHAT);
    return view(followUp, followUp.agencyToday);
  }

  async create(actor: Actor, agreementId: string, dto: CreateFollowUpDto): Promise<FollowUpDto> {
    const id = await this.dataSource.transaction(async (manager) => {
      await this.lockAgreement(manager, actor, agreementId);
      await this.assertOwner(manager, actor, dto.ownerUserId);
      const followUp = manager.create(FollowUp, {
        tenantId: actor.tenantId,
        agreementId,
        title: dto.title,
        dueOn: dto.dueOn,
        ownerUserId: dto.ownerUserId,
        notes: dto.notes ?? null,
        doneAt: null,
        doneBy: null,
      });
      await manager.save(followUp);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: FOLLOW_UP,
        id: followUp.id,
        action: 'follow_up.created',
        changes: diff({}, recorded(followUp)),
      });
      return followUp.id;
    });
    return this.get(actor, agreementId, id);
  }

  /** Changes its fields; `done: true` marks it done now by the caller, `false` opens it again. */
  async update(
    actor: Actor,
    agreementId: string,
    id: string,
    dto: UpdateFollowUpDto,
    expectedVersion?: number,
  ): Promise<FollowUpDto> {
    await this.dataSource.transaction(async (manager) => {
      const followUp = await this.agreements.lockFollowUp(manager, actor.tenantId, agreementId, id);
      if (!followUp) throw new NotFound(WHAT);
      assertVersion(expectedVersion, followUp.version);
      const before = recorded(followUp);
      const { done, ...fields } = sentFields(dto);
      if (fields.ownerUserId && fields.ownerUserId !== followUp.ownerUserId) {
        await this.assertOwner(manager, actor, fields.ownerUserId);
      }
      Object.assign(followUp, fields);
      if (done === true && followUp.doneAt === null) {
        followUp.doneAt = new Date();
        // An API key is no user: who marked it done is in the audit trail.
        followUp.doneBy = actor.kind === 'user' ? actor.id : null;
      } else if (done === false) {
        Object.assign(followUp, { doneAt: null, doneBy: null });
      }
      const changes = diff(before, recorded(followUp));
      if (!changes) return;
      await manager.save(followUp);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: FOLLOW_UP,
        id,
        action: 'follow_up.updated',
        changes,
      });
    });
    return this.get(actor, agreementId, id);
  }

  async delete(
    actor: Actor,
    agreementId: string,
    id: string,
    expectedVersion?: number,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const followUp = await this.agreements.lockFollowUp(manager, actor.tenantId, agreementId, id);
      if (!followUp) throw new NotFound(WHAT);
      assertVersion(expectedVersion, followUp.version);
      await manager.delete(FollowUp, { id });
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: FOLLOW_UP,
        id,
        action: 'follow_up.deleted',
        changes: { title: { before: followUp.title, after: null } },
      });
    });
  }

  private async page(
    actor: Actor,
    agreementId: string | null,
    query: ListFollowUpsQuery,
  ): Promise<Page<FollowUpDto>> {
    const page = await this.agreements.followUpsPage(actor.tenantId, agreementId, query);
    return {
      items: page.items.map((item) => view(item, item.agencyToday)),
      nextCursor: page.nextCursor,
    };
  }

  /** The agreement stays while a follow-up is added to it (key-share lock). */
  private async lockAgreement(
    manager: EntityManager,
    actor: Actor,
    agreementId: string,
  ): Promise<void> {
    const agreement = await manager.findOne(Agreement, {
      where: { tenantId: actor.tenantId, id: agreementId },
      lock: { mode: 'for_key_share' },
    });
    if (!agreement) throw new NotFound('agreement');
  }

  private async assertOwner(manager: EntityManager, actor: Actor, userId: string): Promise<void> {
    if (!(await this.agreements.isActiveStaff(manager, actor.tenantId, userId))) {
      throw new ValidationFailed([
        { field: 'ownerUserId', message: 'is not an active staff member of your agency' },
      ]);
    }
  }
}

function view(followUp: FollowUp, today: string): FollowUpDto {
  const done = followUp.doneAt !== null;
  return {
    id: followUp.id,
    agreementId: followUp.agreementId,
    title: followUp.title,
    dueOn: followUp.dueOn,
    ownerUserId: followUp.ownerUserId,
    notes: followUp.notes,
    done,
    overdue: !done && followUp.dueOn < today,
    doneAt: followUp.doneAt,
    doneBy: followUp.doneBy,
    createdAt: followUp.createdAt,
    updatedAt: followUp.updatedAt,
    version: followUp.version,
  };
}
