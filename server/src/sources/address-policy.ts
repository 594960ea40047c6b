import { isIP } from 'node:net';

/** Why an address is not one Haenau fetches from; null from `classifyAddress` means a public address. */
export type AddressKind = 'metadata' | 'loopback' | 'unspecified' | 'link-local' | 'private' | 'shared' | 'multicast' | 'reserved';

/** What each kind is called in a message to an officer. */
export const ADDRESS_KIND_WORDS: Record<AddressKind, string> = {
  metadata: 'a cloud metadata service address',
  loopback: 'a loopback address (this server itself)',
  unspecified: 'an unspecified address',
  'link-local': 'a link-local address',
  private: 'a private network address',
  shared: 'a carrier-grade NAT (shared) address',
  multicast: 'a multicast address',
  reserved: 'a reserved address, not used on the public internet',
};

type Range = [kind: AddressKind, network: string, prefix: number];
type Prefix<T> = { value: T; network: bigint; shift: bigint };

// Order matters: the first match wins, so the metadata addresses come before the link-local and private ranges holding them.
const IPV4_RANGES: Range[] = [
  ['metadata', '169.254.169.254', 32],
  ['unspecified', '0.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['shared', '100.64.0.0', 10],
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['private', '172.16.0.0', 12],
  ['reserved', '192.0.0.0', 24],
  ['reserved', '192.0.2.0', 24],
  ['reserved', '192.88.99.0', 24],
  ['private', '192.168.0.0', 16],
  ['reserved', '198.18.0.0', 15],
  ['reserved', '198.51.100.0', 24],
  ['reserved', '203.0.113.0', 24],
  ['multicast', '224.0.0.0', 4],
  ['reserved', '240.0.0.0', 4],
];

const IPV6_RANGES: Range[] = [
  ['metadata', 'fd00:ec2::254', 128],
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['reserved', '100::', 64],
  ['private', '64:ff9b:1::', 48],
  ['reserved', '2001::', 23],
  ['reserved', '2001:db8::', 32],
  ['private', 'fc00::', 7],
  ['link-local', 'fe80::', 10],
  ['private', 'fec0::', 10],
  ['multicast', 'ff00::', 8],
];

/** IPv6 prefixes whose low 32 bits carry the IPv4 address a packet really goes to; `true` marks the deprecated compatible form. */
const EMBEDS_IPV4_LOW: [network: string, prefix: number, deprecated: boolean][] = [
  ['::ffff:0:0', 96, false],
  ['::', 96, true],
  ['64:ff9b::', 96, false],
];

const v4 = IPV4_RANGES.map(([kind, network, prefix]) => toPrefix(kind, BigInt(ipv4ToInt(network)), prefix, 32));
const v6 = IPV6_RANGES.map(([kind, network, prefix]) => toPrefix(kind, ipv6ToBigInt(network), prefix, 128));
const embedsLow = EMBEDS_IPV4_LOW.map(([network, prefix, deprecated]) => toPrefix(deprecated, ipv6ToBigInt(network), prefix, 128));
const sixToFour = toPrefix(true, ipv6ToBigInt('2002::'), 16, 128);

/** Classify an IP address (v4 or v6, any spelling `net.isIP` accepts); null when it is an ordinary public address. */
export function classifyAddress(address: string): AddressKind | null {
  const family = isIP(address);
  if (family === 4) return firstMatch(BigInt(ipv4ToInt(address)), v4)?.value ?? null;
  if (family !== 6) return 'reserved';
  const value = ipv6ToBigInt(address);
  const own = firstMatch(value, v6);
  if (own) return own.value;
  const embedded = firstMatch(value, embedsLow);
  if (embedded) return classifyEmbedded(value & 0xffffffffn, embedded.value);
  // 6to4 (2002::/16) routes to the IPv4 address in bits 16–47.
  if (firstMatch(value, [sixToFour])) return classifyEmbedded((value >> 80n) & 0xffffffffn, false);
  // Only 2000::/3 is allocated for global unicast; the rest is reserved.
  return value >> 125n === 1n ? null : 'reserved';
}

function classifyEmbedded(ipv4: bigint, deprecated: boolean): AddressKind | null {
  const kind = firstMatch(ipv4, v4)?.value ?? null;
  // IPv4-compatible addresses (::a.b.c.d) are deprecated: nothing public is reached that way.
  return kind ?? (deprecated ? 'reserved' : null);
}

function toPrefix<T>(value: T, network: bigint, prefix: number, bits: number): Prefix<T> {
  const shift = BigInt(bits - prefix);
  return { value, network: network >> shift, shift };
}

function firstMatch<T>(address: bigint, prefixes: Prefix<T>[]): Prefix<T> | undefined {
  return prefixes.find((p) => address >> p.shift === p.network);
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Expects a string `net.isIPv6` accepts: "::" shorthand, a zone id, or a dotted IPv4 tail. */
function ipv6ToBigInt(address: string): bigint {
  let text = address.split('%')[0]!;
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const n = ipv4ToInt(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/**
 * A URL hostname or allowlist entry as compared: what the WHATWG URL parser makes of it (lower case,
 * IPv4 spellings such as 2130706433 made dotted, IPv6 compressed), without brackets or a trailing dot.
 */
export function canonicalHost(host: string): string {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  let parsed = bare;
  try {
    parsed = new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    // Not a host the URL parser accepts: compare it as written, so it simply never matches.
  }
  return parsed.replace(/\.$/, '');
}
