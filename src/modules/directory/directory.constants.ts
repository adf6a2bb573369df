export const ORGANISATION_KINDS = [
  'company',
  'research_institute',
  'university',
  'chamber',
  'association',
  'ministry',
  'embassy',
  'consulate',
  'agency',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/**
 * SQL of the text fuzzy search runs on: lower-cased and without accents,
 * through `dd_unaccent` (an IMMUTABLE wrapper of unaccent, so it can be
 * indexed). The trigram indexes are built on exactly these expressions.
 */
export const ORGANISATION_SEARCH_TEXT = (alias: string) =>
  `dd_unaccent(lower(${alias}.name || ' ' || coalesce(${alias}.short_name, '')))`;
export const CONTACT_SEARCH_TEXT = (alias: string) =>
  `dd_unaccent(lower(coalesce(${alias}.first_name, '') || ' ' || ${alias}.last_name || ' ' || coalesce(${alias}.email::text, '')))`;

/** The last name an erased contact keeps (the rest of the person is gone). */
export const ERASED_NAME = '[erased]';
