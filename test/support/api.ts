import type { Stream } from 'node:stream';
import type { Response } from 'supertest';

/** Shapes and helpers shared by the e2e tests that talk to the API over HTTP. */

export const PROBLEM = /^application\/problem\+json/;

export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
export type Headers = Record<string, string>;
export type Body = Record<string, unknown>;

export interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FieldErrorBody {
  field: string;
  message: string;
}

export interface AuditEventBody {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldErrorBody[];
  [extension: string]: unknown;
}

/** Expects an RFC 9457 problem with this status and code; returns its body. */
export function expectProblem(response: Response, status: number, code: string): ProblemBody {
  expect({ status: response.status, code: (response.body as ProblemBody).code }).toEqual({
    status,
    code,
  });
  expect(response.headers['content-type']).toMatch(PROBLEM);
  expect(typeof (response.body as ProblemBody).detail).toBe('string');
  return response.body as ProblemBody;
}

/** Reads a response body whole as bytes (file downloads): `.buffer(true).parse(bufferParser)`. */
export function bufferParser(res: Stream, cb: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
