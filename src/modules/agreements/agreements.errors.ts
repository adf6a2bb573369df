import { DomainError } from '../../common/problem/domain-error.js';
import type { AgreementStatus } from './agreements.constants.js';

export class IllegalAgreementTransition extends DomainError {
  constructor(from: AgreementStatus, to: AgreementStatus, allowed: readonly AgreementStatus[]) {
    super(
      409,
      'illegal_transition',
      allowed.length > 0
        ? `An agreement that is ${from} cannot become ${to}; it can become: ${allowed.join(', ')}.`
        : `An agreement that is ${from} cannot change status any more.`,
      { from, to, allowedTransitions: [...allowed] },
    );
  }
}

export class AgreementNotDraft extends DomainError {
  constructor(status: AgreementStatus) {
    super(
      409,
      'agreement_not_draft',
      `Only a draft agreement can be deleted; this one is ${status}. Abandon or terminate it instead.`,
      { agreementStatus: status },
    );
  }
}

/** A partner organisation or contact still named by agreements (as party or signatory). */
export class PartyInUse extends DomainError {
  constructor(what: string, agreements: { id: string; title: string }[]) {
    super(
      409,
      'in_use',
      `This ${what} cannot be deleted: agreements name it (${agreements
        .map((agreement) => `“${agreement.title}”`)
        .join(', ')}). Change or delete them first.`,
      { agreementIds: agreements.map((agreement) => agreement.id) },
    );
  }
}
