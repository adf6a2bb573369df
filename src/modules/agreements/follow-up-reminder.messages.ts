import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { addDaysTo, atHourOf } from '../../common/time.js';
import { AppConfig } from '../../config/app-config.js';
import { Changes } from '../audit/changes.js';
import type { Notification } from '../notifications/entities/notification.entity.js';
import {
  OwnsMessages,
  type Addressing,
  type Loaded,
  type MessageKind,
} from '../notifications/message-kinds.js';
import { Outbox, type NewMessage } from '../notifications/outbox.js';
import { AgreementsRepository } from './agreements.repository.js';
import { FOLLOW_UP } from './agreements.subjects.js';

const KIND = 'follow_up_reminder';

/**
 * Follow-up reminders (DESIGN §6): the staff member who owns an open
 * follow-up hears of it on its due day at the agency's
 * `followUpReminderHour` (08:00), and once more `followUpOverdueDays` (7)
 * later while it is still open, in the agency's timezone.
 *
 * Planned in the transaction of each change of the follow-up (created,
 * moved, given to someone else, done, deleted); the key names the due day
 * and the owner, so a moved or handed-over follow-up is new reminders and
 * a done one has none. Not sent late.
 */
@Injectable()
@OwnsMessages()
export class FollowUpReminderMessages implements MessageKind, OnModuleInit {
  readonly kinds = [KIND] as const;

  constructor(
    private readonly config: AppConfig,
    private readonly changes: Changes,
    private readonly outbox: Outbox,
    private readonly agreements: AgreementsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe(FOLLOW_UP, async (manager, change) => {
      if (change.id) await this.plan(manager, change.tenantId, change.id);
    });
  }

  private async plan(manager: EntityManager, tenantId: string, followUpId: string): Promise<void> {
    const plan = await this.agreements.followUpReminder(manager, followUpId);
    const now = this.clock.now();
    const desired: NewMessage[] = plan
      ? [
          { stage: 'due', day: plan.dueOn },
          { stage: 'overdue', day: addDaysTo(plan.dueOn, plan.overdueDays) },
        ]
          .map(({ stage, day }) => ({ stage, dueAt: atHourOf(day, plan.hour, plan.timeZone) }))
          .filter(({ dueAt }) => dueAt > now)
          .map(({ stage, dueAt }) => ({
            tenantId: plan.tenantId,
            kind: KIND,
            recipient: { userId: plan.userId },
            recipientEmail: plan.email,
            subject: { type: FOLLOW_UP.type, id: plan.id },
            dedupeKey: `follow-up:${plan.id}:${plan.userId}:${plan.dueOn}:${stage}`,
            dueAt,
          }))
      : [];
    await this.outbox.reconcile(
      manager,
      tenantId,
      { kind: KIND, subject: { type: FOLLOW_UP.type, id: followUpId } },
      desired,
    );
  }

  async load(
    manager: EntityManager,
    message: Notification,
    addressing: Addressing,
  ): Promise<Loaded> {
    const facts = await this.agreements.followUpReminderFacts(manager, message.subjectId!);
    if (!facts) return { stale: 'the follow-up is gone' };
    if (facts.done) return { stale: 'the follow-up is done' };
    if (facts.ownerUserId !== message.userId)
      return { stale: 'someone else owns the follow-up now' };
    if (!message.dedupeKey.includes(`:${facts.dueOn}:`)) {
      return { stale: 'the follow-up’s due day moved; it has reminders of its own' };
    }
    return {
      context: {
        ...addressing,
        kind: KIND,
        link: '',
        personalMessage: null,
        waitlistPosition: null,
        followUp: {
          title: facts.title,
          dueOn: facts.dueOn,
          notes: facts.notes,
          agreementTitle: facts.agreementTitle,
          overdue: message.dedupeKey.endsWith(':overdue'),
          agreementUrl: `${this.config.PUBLIC_BASE_URL}/api/v1/agreements/${facts.agreementId}`,
        },
      },
    };
  }
}
