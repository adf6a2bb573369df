import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Page } from '../../common/pagination/pagination.js';
import { NotFound, ValidationFailed, type FieldError } from '../../common/problem/domain-error.js';
import { sentFields } from '../../common/validation.js';
import { lockForChange } from '../../database/tenant-rows.js';
import { auditActor } from '../audit/audit.service.js';
import { Changes, diff } from '../audit/changes.js';
import type { Actor } from '../identity/access/actor.js';
import { AGREEMENT_TRANSITIONS, SIGNED_STATUSES } from './agreements.constants.js';
import { AgreementNotDraft, IllegalAgreementTransition } from './agreements.errors.js';
import {
  AgreementsRepository,
  type AgreementWithParties,
  type PartyView,
} from './agreements.repository.js';
import { AGREEMENT } from './agreements.subjects.js';
import type {
  AgreementDto,
  AgreementTransitionDto,
  CreateAgreementDto,
  ListAgreementsQuery,
  PartyDto,
  UpdateAgreementDto,
} from './dto/agreement.dto.js';
import { Agreement, listedOn } from './entities/agreement.entity.js';

const WHAT = 'agreement';

/** An agreement's own fields as a request may set them (parties apart). */
type Fields = Pick<
  Agreement,
  | 'title'
  | 'kind'
  | 'category'
  | 'agencyIsParty'
  | 'tripId'
  | 'meetingId'
  | 'summary'
  | 'signedOn'
  | 'signedInCity'
  | 'signedInCountry'
  | 'validUntil'
  | 'documentUrl'
  | 'tags'
>;

/** The fields a request sent, as columns (`signedIn` is two). */
function fieldsOf(dto: UpdateAgreementDto): Partial<Fields> {
  const sent: Partial<UpdateAgreementDto> = sentFields(dto);
  const { signedIn } = sent;
  delete sent.parties;
  delete sent.signedIn;
  return {
    ...(sent as Partial<Fields>),
    ...(signedIn !== undefined
      ? { signedInCity: signedIn?.city ?? null, signedInCountry: signedIn?.country ?? null }
      : {}),
  };
}

/** What an agreement records in its audit diff: its fields and parties as the API shows them. */
function recorded(agreement: Fields, parties: PartyView[]) {
  return {
    title: agreement.title,
    kind: agreement.kind,
    category: agreement.category,
    parties,
    agencyIsParty: agreement.agencyIsParty,
    tripId: agreement.tripId,
    meetingId: agreement.meetingId,
    summary: agreement.summary,
    signedOn: agreement.signedOn,
    signedInCity: agreement.signedInCity,
    signedInCountry: agreement.signedInCountry,
    validUntil: agreement.validUntil,
    documentUrl: agreement.documentUrl,
    tags: agreement.tags,
  };
}

const partyViews = (parties: PartyDto[]): PartyView[] =>
  parties.map((party) => ({
    organisationId: party.organisationId,
    signatoryContactIds: party.signatoryContactIds ?? [],
  }));

/**
 * MoUs, cooperation agreements, letters of intent and contracts with
 * partner organisations (DESIGN §2 Agreement): who signed what, where, from
 * which trip and meeting, and what is in force.
 */
@Injectable()
export class AgreementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agreements: AgreementsRepository,
    private readonly changes: Changes,
  ) {}

  /** A page with the parties of each agreement: one statement. */
  async list(actor: Actor, query: ListAgreementsQuery): Promise<Page<AgreementDto>> {
    const page = await this.agreements.page(actor.tenantId, query);
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  }

  /** An agreement with its parties: one statement. */
  async get(actor: Actor, id: string): Promise<AgreementDto> {
    const found = await this.agreements.findWithParties(actor.tenantId, id);
    if (!found) throw new NotFound(WHAT);
    return view(found);
  }

  async create(actor: Actor, dto: CreateAgreementDto): Promise<AgreementDto> {
    const id = await this.dataSource.transaction(async (manager) => {
      const agreement = manager.create(Agreement, {
        tenantId: actor.tenantId,
        agencyIsParty: false,
        tripId: null,
        meetingId: null,
        summary: null,
        signedOn: null,
        signedInCity: null,
        signedInCountry: null,
        validUntil: null,
        documentUrl: null,
        tags: [],
        ...fieldsOf(dto),
        status: 'draft',
        statusSince: await this.agreements.agencyToday(manager, actor.tenantId),
      });
      agreement.listedOn = listedOn(agreement.signedOn);
      const parties = partyViews(dto.parties);
      await this.assertRules(manager, actor, agreement, parties, dto);
      await manager.save(agreement);
      await this.agreements.replaceParties(manager, agreement.id, dto.parties);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: AGREEMENT,
        id: agreement.id,
        action: 'agreement.created',
        changes: diff({}, { ...recorded(agreement, parties), status: 'draft' }),
      });
      return agreement.id;
    });
    return this.get(actor, id);
  }

  async update(
    actor: Actor,
    id: string,
    dto: UpdateAgreementDto,
    expectedVersion?: number,
  ): Promise<AgreementDto> {
    await this.dataSource.transaction(async (manager) => {
      const agreement = await lockForChange(
        manager,
        Agreement,
        actor.tenantId,
        id,
        expectedVersion,
        WHAT,
      );
      const partiesBefore = (await this.agreements.parties(manager, [id])).get(id) ?? [];
      const before = recorded(agreement, partiesBefore);
      Object.assign(agreement, fieldsOf(dto));
      agreement.listedOn = listedOn(agreement.signedOn);
      const parties = dto.parties ? partyViews(dto.parties) : partiesBefore;
      await this.assertRules(manager, actor, agreement, parties, dto);
      const changes = diff(before, recorded(agreement, parties));
      if (!changes) return;
      // A new version even when only the parties changed (rows of their own).
      agreement.updatedAt = new Date();
      await manager.save(agreement);
      if (dto.parties) await this.agreements.replaceParties(manager, id, dto.parties);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: AGREEMENT,
        id,
        action: 'agreement.updated',
        changes,
      });
    });
    return this.get(actor, id);
  }

  /**
   * Along the lifecycle. `on` (default: the agency's today, never later) is
   * when it happened; signing needs the day it was signed and a signatory.
   */
  async transition(
    actor: Actor,
    id: string,
    { to, on }: AgreementTransitionDto,
    expectedVersion?: number,
  ): Promise<AgreementDto> {
    await this.dataSource.transaction(async (manager) => {
      const agreement = await lockForChange(
        manager,
        Agreement,
        actor.tenantId,
        id,
        expectedVersion,
        WHAT,
      );
      const allowed = AGREEMENT_TRANSITIONS[agreement.status];
      if (!allowed.includes(to))
        throw new IllegalAgreementTransition(agreement.status, to, allowed);
      const today = await this.agreements.agencyToday(manager, actor.tenantId);
      if (on && on > today) {
        throw new ValidationFailed([
          { field: 'on', message: `must not be after today (${today} in your agency's timezone)` },
        ]);
      }
      if (on && to !== 'signed' && agreement.signedOn && on < agreement.signedOn) {
        throw new ValidationFailed([
          { field: 'on', message: `must not be before it was signed (${agreement.signedOn})` },
        ]);
      }
      const from = agreement.status;
      const signedBefore = agreement.signedOn;
      if (to === 'signed' && on) agreement.signedOn = on;
      agreement.status = to;
      agreement.statusSince = on ?? today;
      agreement.listedOn = listedOn(agreement.signedOn);
      if (to === 'signed') {
        const parties = (await this.agreements.parties(manager, [id])).get(id) ?? [];
        this.assertSigned(agreement, parties, 'to sign');
      }
      this.assertDates(agreement);
      await manager.save(agreement);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: AGREEMENT,
        id,
        action: 'agreement.status_changed',
        changes: diff(
          { status: from, signedOn: signedBefore },
          { status: to, signedOn: agreement.signedOn },
        ),
      });
    });
    return this.get(actor, id);
  }

  /** Removes a draft (with its parties and follow-ups); anything further along is history. */
  async delete(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const agreement = await lockForChange(
        manager,
        Agreement,
        actor.tenantId,
        id,
        expectedVersion,
        WHAT,
      );
      if (agreement.status !== 'draft') throw new AgreementNotDraft(agreement.status);
      await this.changes.record(manager, auditActor(actor), {
        tenantId: actor.tenantId,
        subject: AGREEMENT,
        id,
        action: 'agreement.deleted',
        changes: { title: { before: agreement.title, after: null } },
      });
      await manager.delete(Agreement, { id });
    });
  }

  /**
   * The rules of an agreement as it would be: references to the agency's own
   * trip, meeting of that trip, organisations and contacts; a validity that
   * does not end before the signing; and, once signed, its day and a
   * signatory kept. 400 naming each field.
   */
  private async assertRules(
    manager: EntityManager,
    actor: Actor,
    agreement: Agreement,
    parties: PartyView[],
    sent: UpdateAgreementDto,
  ): Promise<void> {
    const errors: FieldError[] = [];
    const tenantId = actor.tenantId;
    if (sent.parties) errors.push(...(await this.partyErrors(manager, tenantId, sent.parties)));
    if (
      agreement.tripId &&
      !(await this.agreements.tripExists(manager, tenantId, agreement.tripId))
    ) {
      errors.push({ field: 'tripId', message: 'is not a trip of your agency' });
    }
    if (agreement.meetingId) {
      if (!agreement.tripId) {
        errors.push({
          field: 'meetingId',
          message: 'needs tripId: the trip the meeting belongs to',
        });
      } else if (
        !(await this.agreements.meetingOfTrip(
          manager,
          tenantId,
          agreement.tripId,
          agreement.meetingId,
        ))
      ) {
        errors.push({ field: 'meetingId', message: 'is not a meeting of this trip' });
      }
    }
    if (errors.length > 0) throw new ValidationFailed(errors);
    // What was signed keeps its day and, where a request sets the parties, a signatory
    // (erasing a person may leave none; the agreement stays as it was signed).
    if (SIGNED_STATUSES.includes(agreement.status)) {
      this.assertSigned(
        agreement,
        sent.parties ? parties : null,
        `while it is ${agreement.status}`,
      );
    }
    this.assertDates(agreement);
  }

  /** Each organisation once and the agency's; each signatory the agency's contact. */
  private async partyErrors(
    manager: EntityManager,
    tenantId: string,
    parties: PartyDto[],
  ): Promise<FieldError[]> {
    const organisationIds = parties.map((party) => party.organisationId);
    const contactIds = [...new Set(parties.flatMap((party) => party.signatoryContactIds ?? []))];
    const [organisations, contacts] = await Promise.all([
      this.agreements.existing(manager, 'partner_organisations', tenantId, organisationIds),
      this.agreements.existing(manager, 'contacts', tenantId, contactIds),
    ]);
    return parties.flatMap((party, index): FieldError[] => [
      ...(!organisations.has(party.organisationId)
        ? [
            {
              field: `parties[${index}].organisationId`,
              message: 'is not a partner organisation of your agency',
            },
          ]
        : organisationIds.indexOf(party.organisationId) !== index
          ? [{ field: `parties[${index}].organisationId`, message: 'is already a party' }]
          : []),
      ...((party.signatoryContactIds ?? []).some((contactId) => !contacts.has(contactId))
        ? [
            {
              field: `parties[${index}].signatoryContactIds`,
              message: 'must all be contacts of your agency who were not erased',
            },
          ]
        : []),
    ]);
  }

  /**
   * Signed (and later) agreements have the day they were signed and someone
   * who signed (among `parties`; null: the parties are not in question).
   */
  private assertSigned(agreement: Agreement, parties: PartyView[] | null, when: string): void {
    if (!SIGNED_STATUSES.includes(agreement.status)) return;
    const errors: FieldError[] = [];
    if (!agreement.signedOn) {
      errors.push({
        field: 'signedOn',
        message: `is required ${when}: set it, or send the day as "on" with the transition`,
      });
    }
    if (parties && !parties.some((party) => party.signatoryContactIds.length > 0)) {
      errors.push({
        field: 'parties',
        message: `need at least one signatory (signatoryContactIds) ${when}`,
      });
    }
    if (errors.length > 0) throw new ValidationFailed(errors);
  }

  private assertDates(agreement: Agreement): void {
    if (agreement.validUntil && agreement.signedOn && agreement.validUntil < agreement.signedOn) {
      throw new ValidationFailed([
        { field: 'validUntil', message: `must not be before signedOn (${agreement.signedOn})` },
      ]);
    }
  }
}

function view({ agreement, parties }: AgreementWithParties): AgreementDto {
  return {
    id: agreement.id,
    title: agreement.title,
    kind: agreement.kind,
    category: agreement.category,
    status: agreement.status,
    statusSince: agreement.statusSince,
    allowedTransitions: [...AGREEMENT_TRANSITIONS[agreement.status]],
    parties,
    agencyIsParty: agreement.agencyIsParty,
    tripId: agreement.tripId,
    meetingId: agreement.meetingId,
    summary: agreement.summary,
    signedOn: agreement.signedOn,
    signedIn:
      agreement.signedInCity && agreement.signedInCountry
        ? { city: agreement.signedInCity, country: agreement.signedInCountry }
        : null,
    validUntil: agreement.validUntil,
    documentUrl: agreement.documentUrl,
    tags: agreement.tags,
    createdAt: agreement.createdAt,
    updatedAt: agreement.updatedAt,
    version: agreement.version,
  };
}
