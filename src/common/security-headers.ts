import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's response headers for `options`, worked out once. helmet builds
 * them from its options on every call, and the Fastify plugin calls it on
 * every request (parsing the Content-Security-Policy each time: a few per
 * cent of a read's CPU, issue 21); none of our headers depend on the
 * request, so one object is set on every response instead.
 */
export function securityHeaders(options: HelmetOptions): readonly (readonly [string, string])[] {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string) => headers.set(name, value),
    removeHeader: (name: string) => headers.delete(name),
  } as unknown as ServerResponse;
  let done = false;
  helmet(options)({} as IncomingMessage, response, (error?: unknown) => {
    if (error) throw error as Error;
    done = true;
  });
  // helmet answers synchronously; if a version ever does not, fail at start-up, not silently.
  if (!done) throw new Error('helmet did not set its headers synchronously');
  return [...headers];
}
