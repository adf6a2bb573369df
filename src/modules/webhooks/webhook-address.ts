import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Which receivers are allowed: WEBHOOK_ALLOWED_HOSTS entries and whether plain http is refused. */
export interface AddressPolicy {
  /** Host names (exact, case-insensitive), IP addresses or CIDR ranges (IPv4 or IPv6) inside the agency's own network that are exempt from the private-address guard and may use plain http. */
  allowedHosts: readonly string[];
  /** true in production: only https URLs, except for allowed hosts. */
  requireHttps: boolean;
}

/** A URL or address the guard refuses; `message` says why in one clear sentence for an API error (e.g. "url must not point to a private, loopback, link-local, multicast or cloud-metadata address (10.0.0.1)"). */
export class AddressRefused extends Error {
  override name = 'AddressRefused';
}

/** Resolves a host name to all of its addresses (by default `dns.lookup` with `all: true`). */
type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

const BLOCKED_WHY = 'a private, loopback, link-local, multicast or cloud-metadata address';

/** Ranges no webhook may reach: private, loopback, link-local, shared, documentation, benchmarking, multicast and reserved. */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** An IP address without brackets or IPv6 zone (`fe80::1%eth0`), with its family, or undefined for anything else. */
function ipOf(value: string): { address: string; family: 4 | 6 } | undefined {
  let address = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  const family = isIP(address);
  if (family === 4) return { address, family };
  if (family !== 6) return undefined;
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  return isIP(address) === 6 ? { address, family } : undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (without zone), including a trailing dotted IPv4 part. */
function ipv6Groups(address: string): number[] {
  let text = address;
  let dotted: number[] | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const [a, b, c, d] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    dotted = [(a << 8) | b, (c << 8) | d];
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
  if (dotted) groups.splice(6, 2, ...dotted);
  return groups;
}

/**
 * The IPv4 address carried inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d)
 * or NAT64 (64:ff9b::a.b.c.d) IPv6 address, or undefined for any other IPv6 address.
 */
function embeddedIpv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  const zeroUpTo = (end: number) => groups.slice(0, end).every((group) => group === 0);
  const mapped = zeroUpTo(5) && groups[5] === 0xffff;
  const compatible = zeroUpTo(6);
  const nat64 =
    groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !compatible && !nat64) return undefined;
  const [high, low] = [groups[6], groups[7]];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Whether an IP address (v4 or v6) is in a blocked range. Anything that is not an IP address counts as blocked. */
export function isBlockedAddress(address: string): boolean {
  const ip = ipOf(address);
  if (!ip) return true;
  if (ip.family === 4) return BLOCKED.check(ip.address, 'ipv4');
  const inner = embeddedIpv4(ip.address);
  if (inner !== undefined) return BLOCKED.check(inner, 'ipv4');
  return BLOCKED.check(ip.address, 'ipv6');
}

/** `address/prefix` as an IP and prefix length, or undefined when it is not a valid CIDR range. */
function parseCidr(entry: string): { network: string; prefix: number; family: 4 | 6 } | undefined {
  const match = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (!match) return undefined;
  const ip = ipOf(match[1]);
  const prefix = Number(match[2]);
  if (!ip || ip.address !== match[1].replace(/^\[(.*)\]$/, '$1')) return undefined;
  if (prefix > (ip.family === 4 ? 32 : 128)) return undefined;
  return { network: ip.address, prefix, family: ip.family };
}

/** The allowed host names (lower-cased) and a block list holding the allowed IPs and ranges. */
function compile(allowedHosts: readonly string[]): { names: Set<string>; ips: BlockList } {
  const names = new Set<string>();
  const ips = new BlockList();
  for (const raw of allowedHosts) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry.includes('/')) {
      // Malformed ranges are rejected by parseAllowedHosts; here they simply allow nothing.
      const cidr = parseCidr(entry);
      if (cidr) ips.addSubnet(cidr.network, cidr.prefix, cidr.family === 4 ? 'ipv4' : 'ipv6');
      continue;
    }
    const ip = ipOf(entry);
    if (ip) ips.addAddress(ip.address, ip.family === 4 ? 'ipv4' : 'ipv6');
    else names.add(entry.toLowerCase());
  }
  return { names, ips };
}

/** Whether an allowed IP or range holds this address (or the IPv4 address inside it). */
function ipAllowed(ips: BlockList, address: string): boolean {
  const ip = ipOf(address);
  if (!ip) return false;
  if (ip.family === 4) return ips.check(ip.address, 'ipv4');
  const inner = embeddedIpv4(ip.address);
  return ips.check(ip.address, 'ipv6') || (inner !== undefined && ips.check(inner, 'ipv4'));
}

/** Whether a host name is localhost or under .localhost (a trailing dot is ignored). */
function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/** Parses and checks a webhook URL without DNS: scheme http/https only (http only when !requireHttps or the host is allowed), no user:password in it, no fragment, a host present, and a literal IP host (IPv4, IPv6 in brackets, also IPv4-mapped IPv6 like [::ffff:127.0.0.1], and odd IPv4 spellings the WHATWG URL parser normalises such as http://2130706433/ or http://0x7f.1/) not in a blocked range unless allowed. Returns the parsed URL; throws AddressRefused. */
export function checkUrl(url: string, policy: AddressPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AddressRefused('url must be a valid absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AddressRefused(
      `url must use https or http, not ${parsed.protocol.replace(/:$/, '') || 'no scheme'}`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new AddressRefused('url must not contain a user name or password');
  }
  // `hash` is empty for a bare trailing "#", so look at the serialised URL ("#" cannot occur elsewhere in it).
  if (parsed.href.includes('#')) throw new AddressRefused('url must not contain a fragment (#)');
  if (!parsed.hostname) throw new AddressRefused('url must contain a host');

  const allowed = compile(policy.allowedHosts);
  const ip = ipOf(parsed.hostname);
  const hostAllowed = ip
    ? ipAllowed(allowed.ips, ip.address)
    : allowed.names.has(parsed.hostname.toLowerCase());

  if (parsed.protocol === 'http:' && policy.requireHttps && !hostAllowed) {
    throw new AddressRefused('url must use https');
  }
  if (!hostAllowed) {
    if (ip && isBlockedAddress(ip.address)) {
      throw new AddressRefused(`url must not point to ${BLOCKED_WHY} (${ip.address})`);
    }
    if (!ip && isLocalhostName(parsed.hostname)) {
      throw new AddressRefused(`url must not point to localhost (${parsed.hostname})`);
    }
  }
  return parsed;
}

/** Looks a host name up with `dns.lookup`, returning all of its addresses. */
const dnsResolve: Resolve = (hostname) => lookup(hostname, { all: true });

/** Resolves a host name (all addresses, `dns.lookup` with `all: true`) and throws AddressRefused if any resolved address is blocked and the host or that address is not allowed; returns the addresses. `resolve` is injectable for tests. */
export async function resolvePublic(
  hostname: string,
  policy: AddressPolicy,
  resolve: Resolve = dnsResolve,
): Promise<{ address: string; family: number }[]> {
  const allowed = compile(policy.allowedHosts);
  const ip = ipOf(hostname);
  if (ip) {
    // A literal IP needs no DNS; it is judged like a resolved address.
    if (isBlockedAddress(ip.address) && !ipAllowed(allowed.ips, ip.address)) {
      throw new AddressRefused(`url must not point to ${BLOCKED_WHY} (${ip.address})`);
    }
    return [{ address: ip.address, family: ip.family }];
  }
  const hostAllowed = allowed.names.has(hostname.toLowerCase());
  if (!hostAllowed && isLocalhostName(hostname)) {
    throw new AddressRefused(`url must not point to localhost (${hostname})`);
  }
  const addresses = await resolve(hostname);
  if (!hostAllowed) {
    for (const { address } of addresses) {
      if (isBlockedAddress(address) && !ipAllowed(allowed.ips, address)) {
        throw new AddressRefused(
          `url must not point to ${BLOCKED_WHY} (${hostname} resolves to ${address})`,
        );
      }
    }
  }
  return addresses;
}

/** The callback of a `lookup` function, whether it was asked for one address or all of them. */
type LookupCallback = Parameters<LookupFunction>[2];

/** A `lookup` function for `http.request`/`https.request` options (same signature as `dns.lookup`, honouring `options.all`) that resolves through `resolvePublic`, so the address actually connected to is the one checked (DNS rebinding between the check and the connection is caught). Errors go to the callback as the AddressRefused. */
export function guardedLookup(
  policy: AddressPolicy,
  resolve: Resolve = dnsResolve,
): LookupFunction {
  return (
    hostname: string,
    options: LookupOptions | number | LookupCallback | undefined,
    callback?: LookupCallback,
  ) => {
    // Accept the same argument shapes as dns.lookup: (host, cb), (host, family, cb), (host, options, cb).
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts: LookupOptions =
      typeof options === 'number'
        ? { family: options }
        : typeof options === 'object'
          ? options
          : {};
    const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : (opts.family ?? 0);

    void resolvePublic(hostname, policy, resolve).then(
      (resolved) => {
        const addresses: LookupAddress[] = resolved.filter(
          (entry) => family === 0 || entry.family === family,
        );
        if (addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = 'ENOTFOUND';
          error.syscall = 'getaddrinfo';
          done(error, opts.all ? [] : '');
        } else if (opts.all) {
          done(null, addresses);
        } else {
          done(null, addresses[0].address, addresses[0].family);
        }
      },
      (error: Error) => done(error, opts.all ? [] : ''),
    );
  };
}

/** Parses WEBHOOK_ALLOWED_HOSTS (comma-separated) into the list, trimming and dropping empties; throws Error naming a malformed CIDR. */
export function parseAllowedHosts(value: string): string[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry.includes('/') && !parseCidr(entry)) {
      throw new Error(
        `WEBHOOK_ALLOWED_HOSTS entry "${entry}" is not a valid CIDR range (an IPv4 or IPv6 address, "/" and a prefix length of at most 32 or 128)`,
      );
    }
  }
  return entries;
}
