import { DomainError } from '../../common/problem/domain-error.js';

const RULES = {
  announcement_without_recipients: [
    422,
    'Nobody in the delegation matches this audience (with an email address): nothing would be sent.',
  ],
  announcement_sent: [
    409,
    'Every message of this announcement has gone out already; there is nothing left to withdraw.',
  ],
} as const satisfies Record<string, readonly [number, string]>;

export type AnnouncementRule = keyof typeof RULES;

export class AnnouncementRuleBroken extends DomainError {
  constructor(code: AnnouncementRule) {
    const [status, detail] = RULES[code];
    super(status, code, detail);
  }
}
