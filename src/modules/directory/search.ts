import { Brackets, type SelectQueryBuilder, type ObjectLiteral } from 'typeorm';

/** `50% off_` → `50\% off\_`: the user's text is matched literally inside LIKE. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * Fuzzy match of `q` against any of `texts` (SQL expressions built on
 * `dd_unaccent(lower(...))`, each with a trigram index): a substring, or a
 * word close enough to a word of the text (pg_trgm word similarity, which
 * forgives small typos). Case and accents never matter.
 */
export function whereMatches<E extends ObjectLiteral>(
  builder: SelectQueryBuilder<E>,
  q: string,
  texts: string[],
): SelectQueryBuilder<E> {
  const params = { searchLike: `%${escapeLike(q.trim())}%`, searchWord: q.trim() };
  return builder.andWhere(
    new Brackets((where) => {
      for (const text of texts) {
        where
          .orWhere(`${text} LIKE dd_unaccent(lower(:searchLike))`, params)
          .orWhere(`dd_unaccent(lower(:searchWord)) <% ${text}`, params);
      }
    }),
  );
}
