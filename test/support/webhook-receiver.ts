import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A plain-http webhook receiver on 127.0.0.1, addressed as `localhost` (an agency's CRM, for the
 * tests): records every request and answers each with the next status of
 * `answers` (200 once they run out); `hold()` keeps requests waiting until
 * `release()`.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answers: number[] = [];
  /** The bodies of the next answers (a text of ours once they run out). */
  bodies: string[] = [];
  private held: (() => void)[] = [];
  private holding = false;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        receiver.received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = () => {
          const status = receiver.answers.shift() ?? 200;
          response.writeHead(status, { 'content-type': 'text/plain' });
          response.end(
            receiver.bodies.shift() ?? (status < 300 ? 'ok' : `receiver says ${status}`),
          );
        };
        if (receiver.holding) receiver.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://localhost:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** The requests with this event type. */
  of(type: string): Received[] {
    return this.received.filter(
      (request) => (JSON.parse(request.body) as { type: string }).type === type,
    );
  }

  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
