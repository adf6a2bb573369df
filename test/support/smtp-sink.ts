import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process that keeps what it receives.
 * `rejectNext(code)` makes it refuse the next message(s) with that reply
 * code, e.g. 451 (temporary) or 550 (permanent).
 */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  private rejections: number[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      const code = this.rejections.shift();
      if (code) {
        stream.resume();
        stream.on('end', () =>
          callback(Object.assign(new Error(`rejected with ${code}`), { responseCode: code })),
        );
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          this.messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  rejectNext(code: number, times = 1): void {
    this.rejections.push(...Array.from({ length: times }, () => code));
  }

  /** Resolves with the first message matching `predicate`, waiting up to `timeoutMs`. */
  async waitFor(predicate: (mail: ParsedMail) => boolean, timeoutMs = 10_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `No matching mail within ${timeoutMs} ms (${this.messages.length} received)`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
