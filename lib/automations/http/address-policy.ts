/**
 * Which addresses an automation's `http_request` step may connect to.
 *
 * Only public unicast addresses, as ipaddr.js classifies them: loopback, private (RFC 1918), unique local IPv6,
 * link-local (which holds the cloud metadata address 169.254.169.254), unspecified, carrier-grade NAT, multicast,
 * broadcast, reserved and documentation ranges, and the IPv6 forms that embed an IPv4 address (IPv4-mapped,
 * IPv4-compatible, NAT64, 6to4, Teredo) are refused. An IPv4-mapped address is judged as the IPv4 address it maps.
 * The operator may allow chosen internal destinations (AUTOMATION_HTTP_ALLOWED_HOSTS): host names, addresses and
 * CIDR ranges.
 */
import ipaddr from 'ipaddr.js';

/** ipaddr.js range names, as people read them ("refused: 10.0.0.5 is a private address"). */
const rangeDescriptions: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  private: 'a private address',
  uniqueLocal: 'a unique local (private) IPv6 address',
  reserved: 'a reserved address',
  deprecatedSiteLocal: 'a site-local IPv6 address',
  rfc6145: 'an IPv4-translated IPv6 address',
  rfc6052: 'a NAT64 address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
};

/** The deprecated IPv4-compatible IPv6 block (::a.b.c.d), which ipaddr.js calls unicast. */
const ipv4Compatible = ipaddr.parseCIDR('::/96');

/** The cloud metadata services (AWS, GCP, Azure, OpenStack...; Oracle uses 192.0.0.192), named in the refusal. */
const metadataAddresses = new Set(['169.254.169.254', '169.254.170.2', '192.0.0.192', 'fd00:ec2::254']);

/** Why an address is refused ("a private address"), or null when it is public unicast. */
export function refusalReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const ip = ipaddr.process(address); // IPv4-mapped IPv6 becomes the IPv4 address it maps
  if (metadataAddresses.has(ip.toString())) return 'a cloud metadata address';
  const range = ip.range();
  if (range === 'unicast') {
    if (ip.kind() === 'ipv6' && ip.match(ipv4Compatible)) return 'an IPv4-compatible IPv6 address';
    return null;
  }
  return rangeDescriptions[range] ?? `a special-purpose address (${range})`;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** The operator's allow list, compiled: host names (exact, or `*.suffix` for any name under it) and CIDR ranges. */
export interface AllowList {
  hosts: string[];
  suffixes: string[];
  ranges: Cidr[];
}

const hostnamePattern =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** Splits the setting's text: entries separated by commas or white space. */
export const splitAllowList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

/** What is wrong with one allow-list entry, or null when it is a host name, `*.suffix`, an address or a CIDR range. */
export function allowEntryProblem(entry: string): string | null {
  if (entry.includes('/')) return ipaddr.isValidCIDR(entry) ? null : `"${entry}" is not a valid CIDR range`;
  if (ipaddr.isValid(entry)) return null;
  const name = entry.startsWith('*.') ? entry.slice(2) : entry;
  return hostnamePattern.test(name) ? null : `"${entry}" is not a host name, address or CIDR range`;
}

const normalizeHost = (host: string): string => host.toLowerCase().replace(/\.$/, '');

/** Compiles validated entries (see allowEntryProblem); throws on an entry that is not valid. */
export function compileAllowList(entries: readonly string[]): AllowList {
  const list: AllowList = { hosts: [], suffixes: [], ranges: [] };
  for (const entry of entries) {
    const problem = allowEntryProblem(entry);
    if (problem) throw new Error(`AUTOMATION_HTTP_ALLOWED_HOSTS: ${problem}`);
    if (entry.includes('/')) list.ranges.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const ip = ipaddr.parse(entry);
      list.ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else if (entry.startsWith('*.')) list.suffixes.push(`.${normalizeHost(entry.slice(2))}`);
    else list.hosts.push(normalizeHost(entry));
  }
  return list;
}

function hostAllowed(list: AllowList, hostname: string): boolean {
  const host = normalizeHost(hostname);
  return list.hosts.includes(host) || list.suffixes.some((suffix) => host.endsWith(suffix));
}

function addressAllowed(list: AllowList, address: string): boolean {
  const raw = ipaddr.parse(address);
  // Compare both the address as written and, for IPv4-mapped IPv6, the IPv4 address it maps.
  const forms = [raw, ipaddr.process(address)];
  return list.ranges.some(([range, bits]) =>
    forms.some((ip) => ip.kind() === range.kind() && ip.match(range, bits)),
  );
}

/**
 * The refusal for connecting to `address` (what `hostname` resolved to), or null when it is allowed: a public
 * address, or a host name or address the operator allowed.
 */
export function checkDestination(list: AllowList, hostname: string, address: string): string | null {
  const reason = refusalReason(address);
  if (reason === null || hostAllowed(list, hostname) || addressAllowed(list, address)) return null;
  const via = normalizeHost(hostname) === address ? '' : ` (${hostname} resolves to it)`;
  return `refused: ${address} is ${reason}${via}`;
}
