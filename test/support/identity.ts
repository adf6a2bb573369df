import { randomUUID } from 'node:crypto';
import type { Role, Scope } from '../../src/modules/identity/roles.js';
import type { TestApp } from './test-app.js';

/** A strong password that is on no common-password list. */
export const PASSWORD = 'Steppe-Caravan-Tashkent-2026';

export interface Session {
  accessToken: string;
  refreshToken: string;
}

export interface Staff extends Session {
  id: string;
  email: string;
  password: string;
  tenantId: string;
}

export interface Agency {
  tenantId: string;
  owner: Staff;
}

/** A unique email per call, so tests never collide on the service-wide unique email. */
export function uniqueEmail(name = 'staff'): string {
  return `${name}.${randomUUID().slice(0, 8)}@agency.example`;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Signs up a new agency through the API and returns its owner, signed in. */
export async function signUpAgency(
  t: TestApp,
  overrides: { tenantName?: string; name?: string; email?: string; forwardedFor?: string } = {},
): Promise<Agency> {
  const email = overrides.email ?? uniqueEmail('owner');
  const signup = await t
    .http()
    .post('/api/v1/auth/signup')
    .set(overrides.forwardedFor ? { 'X-Forwarded-For': overrides.forwardedFor } : {})
    .send({
      tenantName: overrides.tenantName ?? 'Thüringen International',
      name: overrides.name ?? 'Katrin Weber',
      email,
      password: PASSWORD,
    })
    .expect(201);
  const tokens = signup.body as Session;
  const me = await t.http().get('/api/v1/me').set(bearer(tokens.accessToken)).expect(200);
  const body = me.body as { id: string; tenant: { id: string } };
  return {
    tenantId: body.tenant.id,
    owner: { ...tokens, id: body.id, email, password: PASSWORD, tenantId: body.tenant.id },
  };
}

export async function login(t: TestApp, email: string, password = PASSWORD): Promise<Session> {
  const response = await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
  return response.body as Session;
}

/** Adds a staff member with `role` to the agency (as its owner) and signs them in. */
export async function addStaff(
  t: TestApp,
  agency: Agency,
  role: Role,
  name = `A ${role}`,
): Promise<Staff> {
  const email = uniqueEmail(role);
  const created = await t
    .http()
    .post('/api/v1/users')
    .set(bearer(agency.owner.accessToken))
    .send({ email, name, role, password: PASSWORD })
    .expect(201);
  const session = await login(t, email);
  return {
    ...session,
    id: (created.body as { id: string }).id,
    email,
    password: PASSWORD,
    tenantId: agency.tenantId,
  };
}

/** Creates an API key with `scopes` (as the agency's owner) and returns the key. */
export async function addApiKey(
  t: TestApp,
  agency: Agency,
  scopes: Scope[],
  extra: { name?: string; expiresAt?: string } = {},
): Promise<{ id: string; key: string; prefix: string }> {
  const response = await t
    .http()
    .post('/api/v1/api-keys')
    .set(bearer(agency.owner.accessToken))
    .send({ name: extra.name ?? 'CRM sync', scopes, expiresAt: extra.expiresAt })
    .expect(201);
  return response.body as { id: string; key: string; prefix: string };
}
