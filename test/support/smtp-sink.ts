import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process that keeps what it receives.
 * `rejectNext(code)` makes it refuse the next message(s) with that reply
 * code, e.g. 451 (temporary) or 550 (permanent). `hold()` makes it keep
 * senders waiting for its answer to DATA until `release()`.
 */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  private rejections: number[] = [];
  private gate?: { opened: Promise<void>; open: () => void };
  private waiting = 0;
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
        .then(async (mail) => {
          if (this.gate) await this.heldUntilReleased(this.gate.opened);
          this.messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });

  async start(): Promise<this> {
    // A client killed mid-session (a SIGKILLed worker's pooled connections) resets its
    // socket; like any mail server, the sink carries on serving the others.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  rejectNext(code: number, times = 1): void {
    this.rejections.push(...Array.from({ length: times }, () => code));
  }

  /**
   * From now on, messages are read but not answered: each sender waits for
   * the reply to DATA (and the message is not in `messages`) until `release()`.
   */
  hold(): void {
    if (this.gate) return;
    let open = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
  }

  /** Accepts the held messages and stops holding. */
  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  /** How many senders are waiting for an answer while the sink holds. */
  get held(): number {
    return this.waiting;
  }

  private async heldUntilReleased(opened: Promise<void>): Promise<void> {
    this.waiting++;
    try {
      await opened;
    } finally {
      this.waiting--;
    }
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
