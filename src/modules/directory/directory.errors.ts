import { DomainError, ValidationFailed } from '../../common/problem/domain-error.js';

export class ContactEmailTaken extends DomainError {
  constructor(existingContactId: string) {
    super(409, 'contact_email_taken', 'You already have a contact with this email.', {
      existingContactId,
    });
  }
}

export const unknownOrganisation = () =>
  new ValidationFailed([
    { field: 'partnerOrganisationId', message: 'is not one of your partner organisations' },
  ]);
