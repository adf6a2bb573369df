import { DomainError, ValidationFailed } from '../../common/problem/domain-error.js';

export class ContactEmailTaken extends DomainError {
  constructor(existingContactId: string) {
    super(409, 'contact_email_taken', 'You already have a contact with this email.', {
      existingContactId,
    });
  }
}

/** An erased person stays erased: their record cannot be filled in again. */
export class ContactErased extends DomainError {
  constructor() {
    super(409, 'contact_erased', 'This person’s data was erased on request; create a new contact.');
  }
}

export const unknownOrganisation = () =>
  new ValidationFailed([
    { field: 'partnerOrganisationId', message: 'is not one of your partner organisations' },
  ]);
