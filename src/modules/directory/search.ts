/** `50% off_` → `50\% off\_`: the user's text is matched literally inside LIKE. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Parameters for `matches()`. */
export function searchParams(q: string): { searchLike: string; searchWord: string } {
  return { searchLike: `%${escapeLike(q.trim())}%`, searchWord: q.trim() };
}

/**
 * SQL that is true when the search matches `text` (an expression built on
 * `dd_unaccent(lower(...))` that has a trigram index): a substring, or a
 * word close enough to a word of the text (pg_trgm word similarity, which
 * forgives small typos). Case and accents never matter.
 */
export function matches(text: string): string {
  return `(${text} LIKE dd_unaccent(lower(:searchLike)) OR dd_unaccent(lower(:searchWord)) <% ${text})`;
}
