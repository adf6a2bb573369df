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
