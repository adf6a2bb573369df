import { isPermanent } from './send-notification.job.js';

/** An error as nodemailer reports an SMTP failure. */
const smtpError = (responseCode: number | undefined, code: string) =>
  Object.assign(new Error(`SMTP ${responseCode ?? '-'}`), { responseCode, code });

describe('which SMTP failures are final', () => {
  it.each([
    [550, 'EENVELOPE', true],
    [554, 'EMESSAGE', true],
    [552, 'EMESSAGE', true],
    [451, 'EMESSAGE', false],
    [421, 'ECONNECTION', false],
    [450, 'EENVELOPE', false],
    // The server refusing us (wrong password, refused greeting): fix the setup, then they go out.
    [535, 'EAUTH', false],
    [554, 'ECONNECTION', false],
    // No reply at all: a dropped connection or a timeout.
    [undefined, 'ETIMEDOUT', false],
    [undefined, 'ESOCKET', false],
  ])('%s %s → final: %s', (responseCode, code, final) => {
    expect(isPermanent(smtpError(responseCode, code))).toBe(final);
  });
});
