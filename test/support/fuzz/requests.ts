import fc from 'fast-check';
import { PASSWORD } from '../identity.js';
import {
  pathParameterNames,
  type HttpMethod,
  type Operation,
  type Parameter,
  type Schema,
} from './contract.js';
import {
  HOSTILE_HEADER_VALUES,
  HOSTILE_NESTING,
  HOSTILE_PATH_SEGMENTS,
  HOSTILE_STRINGS,
  RAW_BODIES,
  RAW_URL_TEXT,
} from './hostile.js';
import {
  hostileValue,
  lastName,
  passphraseArb,
  validObject,
  validValue,
  type Hint,
} from './values.js';
import {
  FuzzWorld,
  pick,
  type AgreementFamily,
  type IdKind,
  type PrincipalName,
  type TenantPools,
  type TripFamily,
} from './world.js';

export type BodyPlan =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | {
      kind: 'raw';
      label: string;
      contentType?: string;
      headers?: Record<string, string>;
      payload: string | Buffer;
    };

/** The same path spelled differently: routers and proxies disagree on these. */
const URL_VARIANTS: readonly { label: string; apply: (url: string) => string }[] = [
  { label: '', apply: (url) => url },
  { label: 'with a trailing slash', apply: (url) => url.replace(/^([^?]*)/, '$1/') },
  { label: 'with a double slash', apply: (url) => url.replace('/api/v1/', '/api/v1//') },
  { label: 'with /./', apply: (url) => url.replace('/api/v1/', '/api/v1/./') },
  { label: 'with ..', apply: (url) => url.replace('/api/v1/', '/api/v1/x/../') },
  { label: 'upper-case', apply: (url) => url.replace(/^([^?]*)/, (path) => path.toUpperCase()) },
  { label: 'with a matrix parameter', apply: (url) => url.replace(/^([^?]*)/, '$1;jsessionid=1') },
  { label: 'with a fragment', apply: (url) => `${url}#x` },
  { label: 'with an empty query', apply: (url) => (url.includes('?') ? `${url}&` : `${url}?`) },
  {
    label: 'with 500 repeated query parameters',
    apply: (url) => `${url}${url.includes('?') ? '&' : '?'}${Array(500).fill('limit=1').join('&')}`,
  },
];

/** One generated request; ids and tokens are already real ones, credentials are added when sent. */
export interface FuzzRequest {
  /** The operation's method, or HEAD for a GET now and then. */
  method: HttpMethod | 'head';
  principal: PrincipalName;
  /** Which broken credential, when `principal` is `bogus`. */
  bogusVariant: number;
  /** Path and query, percent-encoded (or deliberately not). */
  url: string;
  headers: Record<string, string>;
  body: BodyPlan;
  /** What the generator did to this request, for the failure message. */
  notes: string[];
  /** How many identical copies are sent at once (2: a double-click, a retry racing the original). */
  copies: number;
}

type PathKind =
  IdKind | 'invitationToken' | 'registrationToken' | 'itineraryToken' | 'tripPublicId';

const COLLECTIONS: Record<string, IdKind> = {
  users: 'user',
  'api-keys': 'apiKey',
  'partner-organisations': 'organisation',
  contacts: 'contact',
  notifications: 'notification',
  trips: 'trip',
  agreements: 'agreement',
  'webhook-endpoints': 'webhookEndpoint',
};

/** What a path parameter names; an unknown one stops the run, so a new operation is never fuzzed blind. */
export function pathKind(path: string, name: string): PathKind {
  if (name === 'token') {
    if (path.includes('/public/invitations/')) return 'invitationToken';
    if (path.includes('/public/registrations/')) return 'registrationToken';
  }
  if (name === 'feed' && path.includes('/public/itineraries/')) return 'itineraryToken';
  if (name === 'publicId' && path.includes('/public/trips/')) return 'tripPublicId';
  if (name === 'stationId') return 'station';
  if (name === 'meetingId') return 'meeting';
  if (name === 'participantId') return 'participant';
  if (name === 'invitationId') return 'invitation';
  if (name === 'followUpId') return 'followUp';
  if (name === 'announcementId') return 'announcement';
  if (name === 'deliveryId') return 'webhookDelivery';
  if (name === 'id') {
    const collection = path.split('/{id}')[0].split('/').pop()!;
    const kind = COLLECTIONS[collection];
    if (kind) return kind;
  }
  throw new Error(`The fuzzer does not know what {${name}} in ${path} names: teach pathKind()`);
}

/** Percent-encodes like encodeURIComponent, but writes lone surrogates as their (invalid) UTF-8 bytes instead of throwing. */
export function encodeComponent(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      out += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(text[i]);
    }
  }
  return out;
}

const ID_FIELDS: Record<string, IdKind | 'any'> = {
  contactId: 'contact',
  contactIds: 'contact',
  leadContactId: 'contact',
  partnerOrganisationId: 'organisation',
  organisationId: 'organisation',
  coOrganiserIds: 'organisation',
  tripId: 'trip',
  meetingId: 'meeting',
  ownerUserId: 'user',
  participantId: 'participant',
  invitationId: 'invitation',
  entityId: 'any',
  actorId: 'user',
};

/** An index into a pool: mostly one of the first rows (pools list lively rows first), sometimes any. */
const poolIndex: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.nat(3) },
  { weight: 1, arbitrary: fc.nat() },
);

/** Mostly the caller's own ids, sometimes another agency's, sometimes one that exists nowhere. */
function idArb(world: FuzzWorld, kind: IdKind | 'any'): fc.Arbitrary<string> {
  const ids = (pools: TenantPools) =>
    kind === 'any'
      ? [...pools.contacts, ...pools.users, ...pools.trips.map((trip) => trip.tripId)]
      : FuzzWorld.idsOf(pools, kind);
  return fc.oneof(
    { weight: 8, arbitrary: poolIndex.map((i) => pick(ids(world.own), i)) },
    { weight: 1, arbitrary: poolIndex.map((i) => pick(ids(world.other), i)) },
    { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
  );
}

/** Realistic values for fields whose right value lives in the world (ids, tokens, passwords). */
function worldHint(operation: Operation, world: FuzzWorld): Hint {
  return (field: string, schema: Schema) => {
    const name = lastName(field);
    const idKind = ID_FIELDS[name];
    if (idKind && schema.type === 'string') return idArb(world, idKind);
    if (operation.operationId === 'authLogin' && name === 'email') {
      return fc.oneof(
        { weight: 4, arbitrary: fc.nat().map((i) => pick(world.loginEmails, i)) },
        { weight: 1, arbitrary: fc.emailAddress() },
      );
    }
    if (operation.operationId === 'authLogin' && name === 'password') {
      return fc.oneof(
        fc.constant(PASSWORD),
        passphraseArb,
        fc.string({ minLength: 1, maxLength: 30 }),
      );
    }
    if (name === 'currentPassword') {
      return fc.oneof(
        {
          weight: 2,
          arbitrary: fc
            .constantFrom('owner' as const, 'viewer' as const)
            .map((p) => world.passwordOf(p)),
        },
        { weight: 1, arbitrary: passphraseArb },
      );
    }
    if (name === 'refreshToken') {
      return fc.oneof(
        { weight: 3, arbitrary: fc.nat().map((i) => pick(world.refreshTokens, i)) },
        { weight: 1, arbitrary: fc.base64String({ minLength: 4, maxLength: 64 }) },
      );
    }
    if (name === 'cursor') {
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc.nat().map((i) => pick(world.cursors.get(operation.operationId) ?? [], i)),
        },
        {
          weight: 1,
          arbitrary: fc.nat().map((i) => pick([...world.cursors.values()].flat(), i)),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(
              fc.nat().map((i) => pick(world.cursors.get(operation.operationId) ?? [], i)),
              fc.nat(),
              fc.constantFrom(...CURSOR_VALUES),
            )
            .map(([cursor, at, value]) => forgedCursor(cursor, at, value)),
        },
        { weight: 1, arbitrary: fc.base64String({ maxLength: 80 }) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      );
    }
    if (name === 'q') {
      return fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom('weber', 'Jenoptik', 'aigerim', 'Sadykova-1', 'ü', 'atameken'),
        },
        { weight: 2, arbitrary: fc.constantFrom(...SEARCHES) },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
      );
    }
    return undefined;
  };
}

/** Sort values a forged cursor carries instead of the real ones. */
const CURSOR_VALUES: readonly unknown[] = [
  '',
  'x',
  'infinity',
  '-infinity',
  'NaN',
  'epoch',
  '0000-01-01T00:00:00Z',
  '294277-01-01T00:00:00Z',
  '2026-13-45',
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  "'; --",
  '\u0000',
  '\ud800',
  'a'.repeat(700),
  1e308,
  -1,
  1.5,
  0,
  null,
  true,
  [],
  {},
];

/**
 * A cursor of this very listing (right shape, right sort) with one sort
 * value replaced: the values go into SQL, so they must be checked there.
 */
function forgedCursor(cursor: string, at: number, value: unknown): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as {
      s?: unknown;
      v?: unknown;
    };
    const values = Array.isArray(decoded.v) ? [...(decoded.v as unknown[])] : [];
    if (values.length > 0) values[at % values.length] = value;
    return Buffer.from(JSON.stringify({ ...decoded, v: values })).toString('base64url');
  } catch {
    return cursor;
  }
}

/** Search text that is special to LIKE, regular expressions, trigram similarity or full-text search. */
const SEARCHES: readonly string[] = [
  '%',
  '_',
  '\\',
  '\\%',
  '%%%%',
  '*',
  '.*',
  '[a-',
  '(',
  "'",
  '"',
  '&',
  '|',
  '!',
  ':*',
  '<->',
  'a & b | !c',
  'ǅ',
  'ß',
  'İ',
  'ﬀ',
  'Ⅻ',
  '𝔘𝔫𝔦',
  'x'.repeat(200),
  'a'.repeat(1000),
  '   ',
];

function principalArb(operation: Operation): fc.Arbitrary<[PrincipalName, number]> {
  const weights: [PrincipalName, number][] =
    operation.auth.bearer || operation.auth.apiKey
      ? [
          ['owner', 14],
          ['apiKey', operation.auth.apiKey ? 4 : 1],
          ['viewer', 2],
          ['otherOwner', 1],
          ['none', 1],
          ['bogus', 2],
        ]
      : [
          ['none', 8],
          ['owner', 1],
          ['bogus', 1],
        ];
  return fc.tuple(
    fc.oneof(...weights.map(([name, weight]) => ({ weight, arbitrary: fc.constant(name) }))),
    fc.nat(1000),
  );
}

type PathSource = 'own' | 'ownMismatch' | 'other' | 'random' | 'upper' | 'garbage' | 'rawGarbage';

/** Path ids: the caller's own (a station *of that trip*), mismatched, another agency's, unknown, upper-case, or garbage. */
function pathArb(
  operation: Operation,
  world: FuzzWorld,
): fc.Arbitrary<{ path: string; notes: string[] }> {
  const names = pathParameterNames(operation.path);
  if (names.length === 0) return fc.constant({ path: operation.path, notes: [] });
  const kinds = names.map((name) => pathKind(operation.path, name));
  const sources: [PathSource, number][] = [
    ['own', 16],
    ['ownMismatch', names.length > 1 ? 2 : 0],
    ['other', 2],
    ['random', 1],
    ['upper', 1],
    ['garbage', 2],
    ['rawGarbage', 1],
  ];
  return fc
    .record({
      source: fc.oneof(
        ...sources
          .filter(([, weight]) => weight > 0)
          .map(([source, weight]) => ({ weight, arbitrary: fc.constant(source) })),
      ),
      picks: fc.array(poolIndex, { minLength: names.length, maxLength: names.length }),
      uuids: fc.array(fc.uuid({ version: 4 }), {
        minLength: names.length,
        maxLength: names.length,
      }),
      at: fc.nat(names.length - 1),
      garbage: fc.constantFrom(...HOSTILE_PATH_SEGMENTS),
      raw: fc.constantFrom(...RAW_URL_TEXT),
    })
    .map(({ source, picks, uuids, at, garbage, raw }) => {
      const pools = source === 'other' ? world.other : world.own;
      let values = realPathValues(pools, kinds, picks, source !== 'ownMismatch').map(
        encodeComponent,
      );
      if (source === 'upper') values = values.map((value) => value.toUpperCase());
      if (source === 'random') {
        values = kinds.map((kind, i) =>
          kind.endsWith('Token') ? randomToken(uuids[i]) : uuids[i],
        );
      }
      if (source === 'garbage') {
        const kind = kinds[at];
        values[at] =
          kind.endsWith('Token') && picks[at] % 2 === 0
            ? tamperedToken(world, kind, picks[at])
            : encodeComponent(garbage);
      }
      if (source === 'rawGarbage') values[at] = raw;
      let index = 0;
      const path = operation.path.replace(/\{[^}]+\}/g, () => values[index++]);
      return { path, notes: [`path ids: ${source}`] };
    });
}

function realPathValues(
  pools: TenantPools,
  kinds: PathKind[],
  picks: number[],
  consistent: boolean,
): string[] {
  let family: TripFamily | undefined;
  let agreement: AgreementFamily | undefined;
  return kinds.map((kind, i) => {
    const index = picks[i];
    switch (kind) {
      case 'invitationToken':
        return pick(pools.invitationTokens, index);
      case 'registrationToken':
        return pick(pools.registrationTokens, index);
      case 'itineraryToken':
        return pick(pools.itineraryFeeds, index);
      case 'tripPublicId':
        return pick(pools.tripPublicIds, index);
      case 'trip':
        family = pools.trips.length > 0 ? pools.trips[index % pools.trips.length] : undefined;
        return family?.tripId ?? pick([], 0);
      case 'station':
      case 'participant':
      case 'invitation':
      case 'meeting':
      case 'announcement': {
        const children =
          family && consistent
            ? {
                station: family.stationIds,
                participant: family.participantIds,
                invitation: family.invitationIds,
                meeting: family.meetingIds,
                announcement: family.announcementIds,
              }[kind]
            : [];
        return pick(children.length > 0 ? children : FuzzWorld.idsOf(pools, kind), index);
      }
      case 'agreement':
        agreement = pools.agreements[index % Math.max(1, pools.agreements.length)];
        return agreement?.agreementId ?? pick([], 0);
      case 'followUp': {
        const own = agreement && consistent ? agreement.followUpIds : [];
        return pick(own.length > 0 ? own : pools.followUps, index);
      }
      case 'user':
      case 'apiKey':
      case 'organisation':
      case 'contact':
      case 'notification':
      case 'webhookEndpoint':
      case 'webhookDelivery':
        return pick(FuzzWorld.idsOf(pools, kind), index);
    }
  });
}

/** Shaped like a link token (`<id>.<mac>`, base64url) but signed by nobody. */
function randomToken(uuid: string): string {
  const id = Buffer.from(uuid.replaceAll('-', ''), 'hex');
  return `${id.toString('base64url')}.${Buffer.concat([id, id]).toString('base64url')}`;
}

/** A real token with one character changed, padding added, or the other purpose's token. */
function tamperedToken(world: FuzzWorld, kind: PathKind, index: number): string {
  const own = {
    invitationToken: world.own.invitationTokens,
    registrationToken: world.own.registrationTokens,
    itineraryToken: world.own.itineraryFeeds,
  }[kind as 'invitationToken'];
  const otherPurpose =
    kind === 'invitationToken' ? world.own.registrationTokens : world.own.invitationTokens;
  const token = pick(own, index);
  const variants = [
    `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
    `${token}=`,
    `${token}.x`,
    token.split('.')[0],
    `.${token.split('.')[1] ?? ''}`,
    pick(otherPurpose, index),
    token.replace('.', '%2E'),
  ];
  return variants[(index >> 1) % variants.length];
}

/** Query text for a value of any shape: arrays repeat the key, objects use brackets. */
function queryPairs(name: string, value: unknown): string[] {
  const key = encodeComponent(name);
  const text = (item: unknown) => {
    const raw = typeof item === 'string' ? item : (JSON.stringify(item) ?? 'undefined');
    return encodeComponent(raw.length > 2000 ? raw.slice(0, 2000) : raw);
  };
  if (value === null) return [key];
  if (Array.isArray(value))
    return value.length === 0 ? [`${key}[]=`] : value.map((item) => `${key}=${text(item)}`);
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0
      ? [`${key}[]`]
      : entries.map(([inner, item]) => `${key}[${encodeComponent(inner)}]=${text(item)}`);
  }
  return [`${key}=${text(value)}`];
}

function queryArb(
  operation: Operation,
  hint: Hint,
  anyId: fc.Arbitrary<string>,
): fc.Arbitrary<{ pairs: string[]; notes: string[] }> {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const one = (parameter: Parameter): fc.Arbitrary<{ pairs: string[]; hostile: boolean }> => {
    const valid = validValue(parameter.schema, parameter.name, hint).map((value) => ({
      pairs: queryPairs(parameter.name, typeof value === 'string' ? value : String(value)),
      hostile: false,
    }));
    const hostile = fc
      .oneof(
        {
          weight: 4,
          arbitrary: hostileValue(parameter.schema, anyId).map((value) =>
            queryPairs(parameter.name, value),
          ),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom<string[]>([`${parameter.name}=`], [parameter.name]),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(...RAW_URL_TEXT).map((raw) => [`${parameter.name}=${raw}`]),
        },
        {
          weight: 1,
          arbitrary: fc.tuple(valid, valid).map(([a, b]) => [...a.pairs, ...b.pairs]),
        },
      )
      .map((pairs) => ({ pairs, hostile: true }));
    const absent = fc.constant<{ pairs: string[]; hostile: boolean }>({
      pairs: [],
      hostile: false,
    });
    return parameter.required
      ? fc.oneof(
          { weight: 6, arbitrary: valid },
          { weight: 2, arbitrary: hostile },
          { weight: 1, arbitrary: absent },
        )
      : fc.oneof(
          { weight: 6, arbitrary: absent },
          { weight: 3, arbitrary: valid },
          { weight: 1, arbitrary: hostile },
        );
  };
  const extras = fc.oneof(
    { weight: 12, arbitrary: fc.constant([] as string[]) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ['hotel=Rixos'],
        ['__proto__[admin]=1'],
        ['constructor[prototype][admin]=1'],
        ['=1'],
        ['&&&'],
        ['a=%'],
        ['tenantId=00000000-0000-4000-8000-000000000000'],
        [`x=${'y'.repeat(3000)}`],
      ),
    },
  );
  return fc.tuple(fc.tuple(...parameters.map(one)), extras).map(([chosen, extra]) => {
    const hostileNames = parameters
      .filter((_, i) => chosen[i].hostile)
      .map((parameter) => parameter.name);
    return {
      pairs: [...chosen.flatMap((choice) => choice.pairs), ...extra],
      notes: [
        ...(hostileNames.length > 0 ? [`hostile query: ${hostileNames.join(', ')}`] : []),
        ...(extra.length > 0 ? ['unknown query parameter'] : []),
      ],
    };
  });
}

/**
 * Where fuzzed requests come from (X-Forwarded-For, the app trusting
 * loopback): one busy address that runs into the per-address rate limits
 * now and then, and many quiet ones so the limits do not hide the rest.
 */
const BUSY_ADDRESS = '203.0.113.7';
const QUIET_ADDRESSES = [
  ...Array.from({ length: 12 }, (_, n) => `198.51.100.${n + 10}`),
  ...Array.from({ length: 4 }, (_, n) => `2001:db8:${n + 1}::${n + 2}`),
];
const HOSTILE_FORWARDED_FOR = [
  'not-an-ip',
  '203.0.113.7, 10.0.0.1',
  '::ffff:203.0.113.9',
  '999.1.1.1',
  '',
  '2001:db8::1, ::1',
  'unknown',
  '203.0.113.7:8080',
  '[2001:db8::5]',
  '%00',
];

function optionalHeader(
  absentWeight: number,
  ...values: [number, fc.Arbitrary<string>][]
): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: absentWeight, arbitrary: fc.constant(undefined) },
    ...values.map(([weight, arbitrary]) => ({ weight, arbitrary })),
  );
}

const hostileHeader = fc.constantFrom(...HOSTILE_HEADER_VALUES);

function headersArb(
  operation: Operation,
  world: FuzzWorld,
): fc.Arbitrary<{ headers: Record<string, string>; notes: string[] }> {
  const declared = operation.parameters.filter((parameter) => parameter.in === 'header');
  const model: Record<string, fc.Arbitrary<string | undefined>> = {};
  for (const parameter of declared) {
    switch (parameter.name) {
      case 'If-Match':
        model['If-Match'] = optionalHeader(
          7,
          [2, fc.constantFrom('"1"', '"2"', '"3"', '*', 'W/"1"')],
          [1, hostileHeader],
        );
        break;
      case 'Idempotency-Key':
        model['Idempotency-Key'] = optionalHeader(
          5,
          [2, fc.uuid({ version: 4 })],
          [1, fc.constant('fuzz-idempotency-key')],
          [1, hostileHeader],
        );
        break;
      case 'Authorization':
        model.Authorization = optionalHeader(
          1,
          [3, fc.constant(`Bearer ${world.metricsToken}`)],
          [
            1,
            fc.constantFrom(
              'Bearer wrong-metrics-token-0123',
              `Bearer ${world.metricsToken} `,
              'Basic Zm9vOmJhcg==',
            ),
          ],
          [1, hostileHeader],
        );
        break;
      default:
        model[parameter.name] = optionalHeader(2, [1, hostileHeader]);
    }
  }
  if (operation.method === 'get') {
    model['If-None-Match'] = optionalHeader(
      6,
      [1, fc.constantFrom('"1"', '"2"', '*', 'W/"1"', '"1", "2"')],
      [1, hostileHeader],
    );
  }
  model.Accept = optionalHeader(10, [
    1,
    fc.constantFrom(
      'application/xml',
      'text/csv',
      'text/html',
      '*/*',
      'application/problem+json',
      'application/json;q=0',
      'image/png',
    ),
  ]);
  model['X-Request-Id'] = optionalHeader(10, [
    1,
    fc.constantFrom('fuzz-request-1', ...HOSTILE_HEADER_VALUES),
  ]);
  model['X-Forwarded-For'] = fc.oneof(
    { weight: 4, arbitrary: fc.constant(BUSY_ADDRESS) },
    { weight: 12, arbitrary: fc.constantFrom(...QUIET_ADDRESSES) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_FORWARDED_FOR) },
  );
  return fc.record(model).map((chosen) => {
    const headers = Object.fromEntries(
      Object.entries(chosen).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    return { headers, notes: [] };
  });
}

interface Slot {
  path: (string | number)[];
  schema: Schema;
}

/** Every place in a body a hostile value can go: properties, nested ones, array items, free-form keys. */
function collectSlots(schema: Schema, prefix: (string | number)[] = [], depth = 0): Slot[] {
  if (depth > 3) return [];
  const slots: Slot[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = [...prefix, name];
    slots.push({ path, schema: property });
    if (property.properties) slots.push(...collectSlots(property, path, depth + 1));
    if (property.type === 'array' && property.items) {
      slots.push({ path: [...path, 0], schema: property.items });
      if (property.items.properties)
        slots.push(...collectSlots(property.items, [...path, 0], depth + 1));
    }
    if (property.type === 'object' && !property.properties)
      slots.push({ path: [...path, 'hotel'], schema: {} });
  }
  return slots;
}

/** A copy of `body` with `value` at `path`, creating objects and arrays on the way. */
function setAt(body: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container: Record<string | number, unknown> | unknown[] =
    typeof head === 'number'
      ? Array.isArray(body)
        ? [...(body as unknown[])]
        : []
      : body && typeof body === 'object' && !Array.isArray(body)
        ? { ...(body as Record<string, unknown>) }
        : {};
  (container as Record<string | number, unknown>)[head] = setAt(
    (container as Record<string | number, unknown>)[head],
    rest,
    value,
  );
  return container;
}

const UNKNOWN_FIELDS: [string, unknown][] = [
  ['hotel', 'Rixos'],
  ['id', '00000000-0000-4000-8000-000000000000'],
  ['tenantId', '00000000-0000-4000-8000-000000000000'],
  ['version', 99],
  ['status', 'confirmed'],
  ['createdAt', '2020-01-01T00:00:00Z'],
  ['', 1],
  ['Title', 'x'],
];

const ORDERED_PAIRS: [string, string][] = [
  ['startDate', 'endDate'],
  ['arrivalDate', 'departureDate'],
  ['issuedOn', 'expiresOn'],
  ['registrationOpensAt', 'registrationClosesAt'],
];

/**
 * Makes a valid body also make sense across fields, as a real client's
 * would, so requests get past validation into the services: dates in
 * order, the registration window before the trip, one way of naming a
 * participant's contact, the organisation on record kept. Applied to most
 * valid bodies, not all: the incoherent ones test the cross-field checks.
 */
function cohere(body: Record<string, unknown>, coin: number): Record<string, unknown> {
  const fixed = { ...body };
  for (const container of [fixed, fixed.travelDocument, fixed.contact]) {
    if (!container || typeof container !== 'object') continue;
    const record = container as Record<string, unknown>;
    for (const [first, second] of ORDERED_PAIRS) {
      const [a, b] = [record[first], record[second]];
      if (typeof a === 'string' && typeof b === 'string' && a > b) {
        record[first] = b;
        record[second] = a;
      }
    }
  }
  if (typeof fixed.startDate === 'string') {
    const start = Date.parse(`${fixed.startDate}T00:00:00Z`);
    const day = 24 * 3600_000;
    if ('registrationClosesAt' in fixed && fixed.registrationClosesAt !== null) {
      fixed.registrationClosesAt = new Date(start - (2 + (coin % 5)) * day).toISOString();
    }
    if ('registrationOpensAt' in fixed && fixed.registrationOpensAt !== null) {
      fixed.registrationOpensAt = new Date(start - (40 + (coin % 7)) * day).toISOString();
    }
  }
  if (
    typeof fixed.arrivalDate === 'string' &&
    typeof fixed.departureDate === 'string' &&
    coin % 3 !== 0
  ) {
    const arrival = Date.parse(`${fixed.arrivalDate}T00:00:00Z`);
    if (!Number.isNaN(arrival)) {
      fixed.departureDate = new Date(arrival + (coin % 3) * 24 * 3600_000)
        .toISOString()
        .slice(0, 10);
    }
  }
  if ('contactId' in fixed && 'contact' in fixed)
    delete fixed[coin % 2 === 0 ? 'contactId' : 'contact'];
  if ('consent' in fixed && 'organisationId' in fixed && coin % 4 !== 0)
    delete fixed.organisationId;
  return fixed;
}

const RAW_NUMBERS = [
  '1e999',
  '-1e999',
  '-0',
  '123456789012345678901234567890',
  '1.0',
  '1E2',
  '0.1e1',
  '00',
  '0x10',
  'Infinity',
];
const PLACEHOLDER = '__fuzz_raw_literal__';

function abbreviate(value: unknown): string {
  const text =
    typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
}

function bodyArb(
  operation: Operation,
  hint: Hint,
  anyId: fc.Arbitrary<string>,
): fc.Arbitrary<{ body: BodyPlan; notes: string[] }> {
  // Fastify never reads a GET's body: with a large one still unread, the connection is reset
  // after the answer, and a long answer (GET /metrics) arrives cut off. Large bodies go to the
  // other methods.
  const rawBodies =
    operation.method === 'get'
      ? RAW_BODIES.filter((rawBody) => rawBody.payload.length <= 16_384)
      : RAW_BODIES;
  const raw = fc.constantFrom(...rawBodies).map((rawBody) => ({
    body: { kind: 'raw' as const, ...rawBody },
    notes: [`raw body: ${rawBody.label}`],
  }));
  if (!operation.body) {
    return fc.oneof(
      {
        weight: 14,
        arbitrary: fc.constant<{ body: BodyPlan; notes: string[] }>({
          body: { kind: 'none' },
          notes: [],
        }),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom<unknown>({}, { a: 1 }, [], null, 'x')
          .map((value) => ({ body: { kind: 'json' as const, value }, notes: ['unexpected body'] })),
      },
      { weight: 1, arbitrary: raw },
    );
  }
  const schema = operation.body.schema;
  const valid = fc
    .tuple(validObject(schema, '', hint), fc.nat(99))
    .map(([value, coin]) => (coin < 85 ? cohere(value, coin) : value));
  const slots = collectSlots(schema);
  const json = (value: unknown, notes: string[]) => ({
    body: { kind: 'json' as const, value },
    notes,
  });
  const mutation = fc.oneof(
    ...slots.map((slot) => hostileValue(slot.schema, anyId).map((value) => ({ slot, value }))),
  );
  const required = (schema.required ?? []).filter((name) => name in (schema.properties ?? {}));
  const modes: fc.WeightedArbitrary<{ body: BodyPlan; notes: string[] }>[] = [
    { weight: 9, arbitrary: valid.map((value) => json(value, ['valid body'])) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
        .map(([value, mutations]) =>
          json(
            mutations.reduce<unknown>(
              (body, { slot, value: hostile }) => setAt(body, slot.path, hostile),
              value,
            ),
            mutations.map(
              ({ slot, value: hostile }) => `body ${slot.path.join('.')} ← ${abbreviate(hostile)}`,
            ),
          ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...UNKNOWN_FIELDS))
        .map(([value, [name, extra]]) =>
          json({ ...value, [name]: extra }, [`unknown field ${JSON.stringify(name)}`]),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        valid.map((value) => json([value], ['array for the body object'])),
        fc
          .constantFrom<unknown>([], null, 'x', 1, true, {}, ...HOSTILE_NESTING)
          .map((value) => json(value, [`body ← ${abbreviate(value)}`])),
        fc.constantFrom(...HOSTILE_STRINGS).map((value) => json(value, ['body is a string'])),
      ),
    },
    { weight: 1, arbitrary: raw },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...slots), fc.constantFrom(...RAW_NUMBERS))
        .map(([value, slot, literal]) => ({
          body: {
            kind: 'raw' as const,
            label: `${slot.path.join('.')} = ${literal}`,
            contentType: 'application/json',
            payload: JSON.stringify(setAt(value, slot.path, PLACEHOLDER)).replace(
              `"${PLACEHOLDER}"`,
              literal,
            ),
          },
          notes: [`raw number ${slot.path.join('.')} = ${literal}`],
        })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, mutation).map(([value, { slot, value: hostile }]) => {
        const text = JSON.stringify(value);
        const key = String(slot.path[0]);
        const payload = `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(hostile) ?? 'null'}}`;
        return {
          body: {
            kind: 'raw' as const,
            label: `duplicate key ${key}`,
            contentType: 'application/json',
            payload,
          },
          notes: [`duplicate key ${key} ← ${abbreviate(hostile)}`],
        };
      }),
    },
  ];
  if (required.length > 0) {
    modes.push({
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([value, name]) => {
        const rest = { ...value };
        delete rest[name];
        return json(rest, [`required ${name} left out`]);
      }),
    });
  }
  return fc.oneof(...modes);
}

/** Requests for `operation`, from its parameters and body schema, aimed at `world`. */
export function requestArbitrary(
  operation: Operation,
  world: FuzzWorld,
): fc.Arbitrary<FuzzRequest> {
  const hint = worldHint(operation, world);
  const anyId = idArb(world, 'any');
  return fc
    .record({
      principal: principalArb(operation),
      copies: fc.oneof(
        { weight: 19, arbitrary: fc.constant(1) },
        { weight: 1, arbitrary: fc.constant(2) },
      ),
      method: fc.oneof(
        { weight: 19, arbitrary: fc.constant<HttpMethod | 'head'>(operation.method) },
        {
          weight: operation.method === 'get' ? 1 : 0,
          arbitrary: fc.constant<HttpMethod | 'head'>('head'),
        },
      ),
      urlVariant: fc.oneof(
        { weight: 24, arbitrary: fc.constant(URL_VARIANTS[0]) },
        { weight: 1, arbitrary: fc.constantFrom(...URL_VARIANTS.slice(1)) },
      ),
      path: pathArb(operation, world),
      query: queryArb(operation, hint, anyId),
      headers: headersArb(operation, world),
      body: bodyArb(operation, hint, anyId),
    })
    .map(
      ({
        principal: [principal, bogusVariant],
        copies,
        method,
        urlVariant,
        path,
        query,
        headers,
        body,
      }) => {
        const request: FuzzRequest = {
          method,
          principal,
          bogusVariant,
          url: urlVariant.apply(
            query.pairs.length > 0 ? `${path.path}?${query.pairs.join('&')}` : path.path,
          ),
          headers: headers.headers,
          // Node's client cannot frame a HEAD request's body: it would reach the server as a second, garbled request.
          body: method === 'head' ? { kind: 'none' } : body.body,
          notes: [
            principal === 'bogus'
              ? `as bogus: ${FuzzWorld.bogusLabel(bogusVariant)}`
              : `as ${principal}`,
            ...(method === operation.method ? [] : [`as ${method.toUpperCase()}`]),
            ...(urlVariant.label ? [`url ${urlVariant.label}`] : []),
            ...(copies > 1 ? [`${copies} copies at once`] : []),
            ...path.notes,
            ...query.notes,
            ...headers.notes,
            ...(method === 'head' ? [] : body.notes),
          ],
          copies,
        };
        // fast-check prints counterexamples with this: short, since bodies can be a megabyte.
        return Object.assign(request, {
          [fc.toStringMethod]: () =>
            `${request.method.toUpperCase()} ${request.url.slice(0, 300)} (${request.notes.join('; ')})`,
        });
      },
    );
}
