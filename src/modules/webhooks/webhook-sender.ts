import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkUrl, guardedLookup, type AddressPolicy } from './webhook-address.js';
import { WEBHOOK_RESPONSE_LIMIT, WEBHOOK_TIMEOUT_MS } from './webhooks.constants.js';

/** What one POST to a receiver came to. */
export interface SendResult {
  /** The receiver's HTTP status; null when no answer came. */
  status: number | null;
  /** The start of its answer (WEBHOOK_RESPONSE_LIMIT bytes). */
  body: string | null;
  /** Why no answer came. */
  error: string | null;
  durationMs: number;
}

/**
 * POSTs a signed event to a receiver: the URL checked again and its host
 * resolved through the address guard at connection time (so a name that
 * now points into a private network is refused), redirects not followed,
 * WEBHOOK_TIMEOUT_MS for the whole exchange, the answer read up to
 * WEBHOOK_RESPONSE_LIMIT. Never throws.
 */
export async function sendWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  policy: AddressPolicy,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<SendResult> {
  const started = performance.now();
  const finish = (result: Omit<SendResult, 'durationMs'>): SendResult => ({
    ...result,
    durationMs: Math.round(performance.now() - started),
  });
  let target: URL;
  try {
    target = checkUrl(url, policy);
  } catch (error) {
    return finish({ status: null, body: null, error: (error as Error).message });
  }
  return new Promise<SendResult>((resolve) => {
    // The first outcome counts: the answer read (or cut at the limit), or an error.
    let settled = false;
    const settle = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve(finish(result));
    };
    const failed = (error: Error) =>
      settle({
        status: null,
        body: null,
        error:
          error.name === 'AbortError' || error.name === 'TimeoutError'
            ? `no answer within ${timeoutMs} ms`
            : error.message,
      });
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'DelegationDesk-Webhooks/1',
        },
        lookup: guardedLookup(policy),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let length = 0;
        const answered = () =>
          settle({ status: response.statusCode ?? null, body: logText(chunks), error: null });
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          // Enough for the log: the rest is not read.
          if (length >= WEBHOOK_RESPONSE_LIMIT) {
            answered();
            response.destroy();
          }
        });
        response.on('end', answered);
        response.on('error', failed);
        // Closed before its end without an error of its own: the answer was cut off.
        response.on('close', () => failed(new Error('the answer was cut off')));
      },
    );
    request.on('error', failed);
    request.end(body);
  });
}

/** The start of an answer as text a log can hold: no NUL characters (PostgreSQL refuses them). */
function logText(chunks: Buffer[]): string {
  return Buffer.concat(chunks)
    .subarray(0, WEBHOOK_RESPONSE_LIMIT)
    .toString('utf8')
    .replaceAll('\u0000', '\uFFFD');
}
