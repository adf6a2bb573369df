import type { LookupAddress } from 'node:dns';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AddressRefused,
  checkUrl,
  guardedLookup,
  isBlockedAddress,
  parseAllowedHosts,
  resolvePublic,
  type AddressPolicy,
} from './webhook-address.js';

const development: AddressPolicy = { allowedHosts: [], requireHttps: false };
const production: AddressPolicy = { allowedHosts: [], requireHttps: true };

/** A stand-in for DNS: each name (case-insensitive) resolves to the given addresses, anything else is not found. */
function fakeDns(records: Record<string, string[]>) {
  return (hostname: string) => {
    const addresses = records[hostname.toLowerCase()];
    if (!addresses) {
      return Promise.reject(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
      );
    }
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
}

/** The error or the result a lookup function hands to its callback. */
function lookupWith(
  lookup: ReturnType<typeof guardedLookup>,
  hostname: string,
  options: { all?: boolean; family?: number },
) {
  return new Promise<{
    error: NodeJS.ErrnoException | null;
    address: string | LookupAddress[];
    family?: number;
  }>((resolve) =>
    lookup(hostname, options, (error, address, family) => resolve({ error, address, family })),
  );
}

/** The error thrown by `fn`, failing the test when it does not throw. */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal, but nothing was thrown');
}

describe('checkUrl', () => {
  it.each([
    ['http://127.0.0.2/', '127.0.0.2'],
    ['http://10.0.0.1/', '10.0.0.1'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://[::1]/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://[64:ff9b::10.0.0.1]/', '64:ff9b::a00:1'],
    ['http://192.168.1.20:8080/hook', '192.168.1.20'],
  ])('refuses %s, which points into a private or reserved range', (url, address) => {
    const error = thrownBy(() => checkUrl(url, development));
    expect(error).toBeInstanceOf(AddressRefused);
    expect(error.message).toBe(
      `url must not point to a private, loopback, link-local, multicast or cloud-metadata address (${address})`,
    );
  });

  it.each([
    'http://localhost:8080/',
    'http://LOCALHOST/',
    'http://api.localhost/',
    'http://localhost./',
  ])('refuses %s without asking DNS', (url) => {
    expect(() => checkUrl(url, development)).toThrow(/^url must not point to localhost/);
  });

  it('accepts a public https URL and returns it parsed', () => {
    const url = checkUrl('https://hooks.example.com/x', production);
    expect(url.hostname).toBe('hooks.example.com');
    expect(url.pathname).toBe('/x');
  });

  it('refuses plain http when https is required and accepts it otherwise', () => {
    expect(() => checkUrl('http://hooks.example.com', production)).toThrow(
      new AddressRefused('url must use https'),
    );
    expect(checkUrl('http://hooks.example.com', development).href).toBe(
      'http://hooks.example.com/',
    );
  });

  it.each([
    [['127.0.0.1'], false],
    [['127.0.0.1'], true],
    [['127.0.0.0/8'], false],
    [['127.0.0.0/8'], true],
  ])(
    'lets allowed hosts %j through, over plain http too (requireHttps %s)',
    (allowedHosts, requireHttps) => {
      const url = checkUrl('http://127.0.0.1:4000/hook', { allowedHosts, requireHttps });
      expect(url.port).toBe('4000');
    },
  );

  it('lets an allowed host name through, matched case-insensitively', () => {
    expect(
      checkUrl('http://localhost:4000', { allowedHosts: ['localhost'], requireHttps: true }).host,
    ).toBe('localhost:4000');
    expect(
      checkUrl('http://hooks.internal/', { allowedHosts: ['Hooks.Internal'], requireHttps: true })
        .host,
    ).toBe('hooks.internal');
  });

  it('allows only what the allowed list names', () => {
    const policy = { allowedHosts: ['127.0.0.0/8', 'localhost'], requireHttps: true };
    expect(() => checkUrl('http://10.0.0.1/', policy)).toThrow('url must use https');
    expect(() => checkUrl('https://10.0.0.1/', policy)).toThrow(AddressRefused);
    expect(() => checkUrl('http://api.localhost/', policy)).toThrow(AddressRefused);
  });

  it('judges an IPv4-mapped IPv6 host against allowed IPv4 ranges', () => {
    const policy = { allowedHosts: ['127.0.0.0/8'], requireHttps: false };
    expect(checkUrl('http://[::ffff:127.0.0.1]:4000/', policy).port).toBe('4000');
  });

  it.each([
    ['ftp://hooks.example.com/', 'url must use https or http, not ftp'],
    ['file:///etc/passwd', 'url must use https or http, not file'],
    ['https://user:pw@hooks.example.com/', 'url must not contain a user name or password'],
    ['https://token@hooks.example.com/', 'url must not contain a user name or password'],
    ['https://hooks.example.com/x#part', 'url must not contain a fragment (#)'],
    ['https://hooks.example.com/x#', 'url must not contain a fragment (#)'],
    ['hooks.example.com/x', 'url must be a valid absolute URL'],
    ['https://', 'url must be a valid absolute URL'],
  ])('refuses %s', (url, message) => {
    expect(() => checkUrl(url, development)).toThrow(new AddressRefused(message));
  });
});

describe('isBlockedAddress', () => {
  it.each([
    '0.0.0.0',
    '100.64.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '198.18.0.1',
    '224.0.0.251',
    '255.255.255.255',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '2001:db8::1',
    '::ffff:169.254.169.254',
    '::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    'not an address',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('lets the public address %s through', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe('resolvePublic', () => {
  const dns = fakeDns({
    'mixed.example': ['93.184.215.14', '10.1.2.3'],
    'public.example': ['93.184.215.14'],
    'internal.example': ['10.1.2.3'],
    'v6.example': ['2606:4700::1111', 'fd12::1'],
  });

  it('refuses a name when any of its addresses is private', async () => {
    await expect(resolvePublic('mixed.example', development, dns)).rejects.toThrow(
      new AddressRefused(
        'url must not point to a private, loopback, link-local, multicast or cloud-metadata address (mixed.example resolves to 10.1.2.3)',
      ),
    );
    await expect(resolvePublic('v6.example', development, dns)).rejects.toBeInstanceOf(
      AddressRefused,
    );
  });

  it('returns the addresses of a public name', async () => {
    await expect(resolvePublic('public.example', production, dns)).resolves.toEqual([
      { address: '93.184.215.14', family: 4 },
    ]);
  });

  it('accepts a private address inside an allowed range, and nothing else private', async () => {
    const policy = { allowedHosts: ['10.0.0.0/8'], requireHttps: true };
    await expect(resolvePublic('internal.example', policy, dns)).resolves.toEqual([
      { address: '10.1.2.3', family: 4 },
    ]);
    await expect(
      resolvePublic('internal.example', { allowedHosts: ['10.9.0.0/16'], requireHttps: true }, dns),
    ).rejects.toBeInstanceOf(AddressRefused);
  });

  it('accepts every address of an allowed host name', async () => {
    const policy = { allowedHosts: ['internal.example'], requireHttps: true };
    await expect(resolvePublic('INTERNAL.example', policy, dns)).resolves.toHaveLength(1);
  });

  it('refuses localhost names without resolving them', async () => {
    const asked: string[] = [];
    const resolve = (hostname: string) => {
      asked.push(hostname);
      return dns(hostname);
    };
    await expect(resolvePublic('db.localhost', development, resolve)).rejects.toBeInstanceOf(
      AddressRefused,
    );
    expect(asked).toEqual([]);
  });

  it('passes DNS failures through unchanged', async () => {
    await expect(resolvePublic('missing.example', development, dns)).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});

describe('guardedLookup', () => {
  const dns = fakeDns({
    'loopback.example': ['127.0.0.1'],
    'public.example': ['93.184.215.14', '2606:4700::1111'],
  });
  const lookup = guardedLookup(development, dns);

  it.each([{}, { all: true }])(
    'hands the callback an AddressRefused for a private name (%j)',
    async (options) => {
      const { error } = await lookupWith(lookup, 'loopback.example', options);
      expect(error).toBeInstanceOf(AddressRefused);
      expect(error?.message).toContain('loopback.example resolves to 127.0.0.1');
    },
  );

  it('hands the callback the first address of a public name', async () => {
    await expect(lookupWith(lookup, 'public.example', {})).resolves.toEqual({
      error: null,
      address: '93.184.215.14',
      family: 4,
    });
  });

  it('hands the callback every address of a public name with all: true', async () => {
    const { error, address } = await lookupWith(lookup, 'public.example', { all: true });
    expect(error).toBeNull();
    expect(address).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
  });

  it('honours the requested family', async () => {
    const { address, family } = await lookupWith(lookup, 'public.example', { family: 6 });
    expect([address, family]).toEqual(['2606:4700::1111', 6]);
  });

  it('catches a name that turns private between the check and the connection (DNS rebinding)', async () => {
    const answers = [['93.184.215.14'], ['169.254.169.254']];
    const rebinding = (hostname: string) =>
      fakeDns({ [hostname]: answers.shift() ?? [] })(hostname);
    await expect(resolvePublic('rebind.example', development, rebinding)).resolves.toHaveLength(1);
    const { error } = await lookupWith(guardedLookup(development, rebinding), 'rebind.example', {});
    expect(error).toBeInstanceOf(AddressRefused);
  });
});

describe('guardedLookup used by http.request', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('delivered'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const dns = fakeDns({ 'receiver.example': ['127.0.0.1'] });

  /** GETs http://receiver.example:<port>/ through the guarded lookup; resolves the body or rejects with the error. */
  function deliver(policy: AddressPolicy) {
    return new Promise<string>((resolve, reject) => {
      const request = get(
        { host: 'receiver.example', port, path: '/', lookup: guardedLookup(policy, dns) },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve(body));
        },
      );
      request.on('error', reject);
    });
  }

  it('never connects to a receiver that resolves to loopback', async () => {
    await expect(deliver(development)).rejects.toBeInstanceOf(AddressRefused);
  });

  it('connects when the receiver address is allowed', async () => {
    await expect(deliver({ allowedHosts: ['127.0.0.0/8'], requireHttps: false })).resolves.toBe(
      'delivered',
    );
  });
});

describe('parseAllowedHosts', () => {
  it('splits, trims and drops empty entries', () => {
    expect(parseAllowedHosts('127.0.0.1, localhost,10.0.0.0/8,')).toEqual([
      '127.0.0.1',
      'localhost',
      '10.0.0.0/8',
    ]);
    expect(parseAllowedHosts('')).toEqual([]);
    expect(parseAllowedHosts('fd00::/8')).toEqual(['fd00::/8']);
  });

  it.each(['10.0.0.0/99', 'fd00::/129', '10.0.0/8', 'hooks.internal/24', '10.0.0.0/'])(
    'names the malformed CIDR %s',
    (entry) => {
      expect(() => parseAllowedHosts(`localhost, ${entry}`)).toThrow(`"${entry}"`);
    },
  );
});
