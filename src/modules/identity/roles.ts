/** Staff roles, from most to least powerful. */
export const ROLES = ['owner', 'admin', 'organiser', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Areas an API key can be granted, each as `<area>:read` or `<area>:write` (DESIGN §4). */
export const SCOPE_AREAS = [
  'directory',
  'trips',
  'participants',
  'programme',
  'agreements',
  'reports',
  'webhooks',
] as const;
export type ScopeArea = (typeof SCOPE_AREAS)[number];

export const SCOPES = [
  ...SCOPE_AREAS.flatMap((area) => [`${area}:read`, `${area}:write`] as const),
  'pii:read',
] as const;
export type Scope = (typeof SCOPES)[number];
