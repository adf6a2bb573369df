import type { FieldError } from './problem/domain-error.js';

/** Deeper JSON than any of our bodies needs; deeper input is refused before it is validated. */
export const MAX_INPUT_DEPTH = 32;

type Container = Record<string, unknown> | unknown[];

/**
 * The first value in `input` the rest of the stack must never see, as a
 * field error naming where it is: text with a NUL character (PostgreSQL
 * refuses it), text that is not well-formed UTF-16 (a lone surrogate: JSON
 * columns, URI encoding and mail refuse it), or nesting deeper than
 * MAX_INPUT_DEPTH (recursive validation would overflow the stack). Walks
 * with its own stack, so hostile depth cannot overflow this check either.
 * Object keys are checked like values.
 */
export function findUnsafeInput(input: unknown, root = ''): FieldError | null {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: input, path: root, depth: 0 },
  ];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = unsafeText(value);
      if (problem) return { field: path || 'body', message: problem };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return {
        field: path || 'body',
        message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels`,
      };
    }
    for (const [key, child] of entries(value as Container)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const keyProblem = Array.isArray(value) ? null : unsafeText(key);
      if (keyProblem) return { field: childPath, message: `name ${keyProblem}` };
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unsafeText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode text (no lone surrogates)';
  return null;
}

function entries(value: Container): [string, unknown][] {
  return Array.isArray(value)
    ? value.map((child, index) => [String(index), child])
    : Object.entries(value);
}
