import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { ApiProblems } from '../../../common/openapi.js';
import { ROLES, SCOPE_AREAS, type Role, type Scope, type ScopeArea } from '../roles.js';
import type { Actor } from './actor.js';

/** What a route needs. Area permissions double as API key scopes. */
export type Permission =
  | Scope
  | 'users:read'
  | 'users:write'
  | 'api-keys:manage'
  | 'audit:read'
  | 'personal-data:erase'
  | 'tenant:manage'
  | 'self';

interface Rule {
  /** Staff roles allowed. */
  roles: readonly Role[];
  /** API key scopes that allow it; empty: API keys never may. */
  scopes: readonly Scope[];
}

const EVERYONE = ROLES;
const EDITORS: readonly Role[] = ['owner', 'admin', 'organiser'];
const ADMINS: readonly Role[] = ['owner', 'admin'];
/** Admin-only areas: viewers and organisers may not even read them. */
const ADMIN_AREAS: readonly ScopeArea[] = ['webhooks'];

type AreaPermission = `${ScopeArea}:${'read' | 'write'}`;

function areaRules(area: ScopeArea): [AreaPermission, Rule][] {
  const adminOnly = ADMIN_AREAS.includes(area);
  return [
    [
      `${area}:read`,
      { roles: adminOnly ? ADMINS : EVERYONE, scopes: [`${area}:read`, `${area}:write`] },
    ],
    [`${area}:write`, { roles: adminOnly ? ADMINS : EDITORS, scopes: [`${area}:write`] }],
  ];
}

/**
 * The whole access policy in one table: viewers and read scopes read, never
 * write; a write scope implies read; admins manage users, keys, webhooks and
 * see the audit trail; API keys never manage people or keys.
 */
export const POLICY: Record<Permission, Rule> = {
  ...(Object.fromEntries(SCOPE_AREAS.flatMap(areaRules)) as Record<AreaPermission, Rule>),
  'pii:read': { roles: EDITORS, scopes: ['pii:read'] },
  'users:read': { roles: EVERYONE, scopes: [] },
  'users:write': { roles: ADMINS, scopes: [] },
  'api-keys:manage': { roles: ADMINS, scopes: [] },
  'audit:read': { roles: ADMINS, scopes: [] },
  /** Irreversible: accountable staff only, never an integration. */
  'personal-data:erase': { roles: ADMINS, scopes: [] },
  'tenant:manage': { roles: ADMINS, scopes: [] },
  self: { roles: EVERYONE, scopes: [] },
};

export function allows(actor: Actor, permission: Permission): boolean {
  const rule = POLICY[permission];
  return actor.kind === 'user'
    ? rule.roles.includes(actor.role)
    : rule.scopes.some((scope) => actor.scopes.includes(scope));
}

export function denialMessage(actor: Actor, permission: Permission): string {
  const rule = POLICY[permission];
  if (actor.kind === 'api_key') {
    return rule.scopes.length === 0
      ? 'API keys cannot do this; sign in as staff.'
      : `This API key needs the scope ${rule.scopes.join(' or ')}.`;
  }
  return `Your role (${actor.role}) cannot do this; it needs ${rule.roles.join(', ')}.`;
}

export const REQUIRES = 'requiresPermission';

/**
 * The one authorisation declaration of a route: who may call it. The global
 * access guard enforces it, and it documents the route's security in OpenAPI.
 */
export function Requires(permission: Permission) {
  const rule = POLICY[permission];
  return applyDecorators(
    SetMetadata(REQUIRES, permission),
    ApiBearerAuth('bearer'),
    ...(rule.scopes.length > 0 ? [ApiSecurity('apiKey')] : []),
    ApiExtension('x-permission', {
      roles: [...rule.roles],
      apiKeyScopes: [...rule.scopes],
    }),
    ApiProblems(401, 403),
  );
}
