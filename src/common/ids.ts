const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every id of this API is named `id`, `…Id` or `…Ids`. */
const ID_NAME = /^(id|.*Ids?)$/;

/** Named like ids but free text: a commercial register number, a participant's own answers. */
const NOT_IDS = new Set(['registerId', 'answers']);

/**
 * Spells every id in `input` (path parameters, query or body, however deep)
 * in canonical lower case, in place. PostgreSQL matches a uuid in any case,
 * but whatever binds the exact text (sealed passports, links, `Location`,
 * idempotency fingerprints, audit entries) must see one spelling. Only
 * uuid-shaped strings under id-named keys change; free text never does.
 */
export function normaliseIds(input: unknown): void {
  const pending: unknown[] = [input];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      pending.push(...(value as unknown[]));
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (NOT_IDS.has(key)) continue;
      if (ID_NAME.test(key)) record[key] = lowerCaseIds(child);
      else pending.push(child);
    }
  }
}

/** `text` (a URL, say) with every uuid in it in lower case. */
export function lowerCaseUuidsIn(text: string): string {
  return text.replace(UUID_ANYWHERE, (uuid) => uuid.toLowerCase());
}

function lowerCaseIds(value: unknown): unknown {
  if (typeof value === 'string') return UUID.test(value) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map(lowerCaseIds);
  return value;
}
