import { BlockList, isIP } from 'node:net';

/**
 * Which reverse proxies the portal trusts (`--trust-proxy`, KOSMO_TRUST_PROXY, file key
 * `trustProxy`; docs/portal.md "Behind a reverse proxy"):
 * - `false`: none; X-Forwarded-* are ignored.
 * - a hop count N: the N machines nearest to the portal are proxies of ours, whatever their address
 *   (1 = the usual single proxy).
 * - a list of proxy addresses and CIDR ranges: a hop is trusted when its address is on the list.
 *
 * A proxy appends the address it was reached from to X-Forwarded-For; whatever the client sent
 * stays to the left of it. So the client is found from the right: walking from the socket address
 * leftwards past the trusted proxies, the first address that is not one is the client. Never the
 * leftmost entry, which the client writes itself.
 */
export type TrustProxy = false | number | readonly string[];

/** What may be configured: `true` = one hop; a number; `"2"`; `"10.0.0.1, 10.0.0.0/8"`; a list. */
export type TrustProxyInput = TrustProxy | boolean | string | undefined | null;

/** More hops than this is a typo, not a deployment. */
export const MAX_PROXY_HOPS = 10;

/**
 * Why a setting is not one, as a reason code of the staff-text catalogue (`reason.TRUST_PROXY_*`)
 * with its parameters.
 */
export interface TrustProxyProblem {
  problem: 'TRUST_PROXY_FORMAT' | 'TRUST_PROXY_HOPS' | 'TRUST_PROXY_ADDRESS';
  params: { max?: number; entry?: string };
}

/** The setting, or why it is not one. */
export function parseTrustProxy(raw: unknown): { value: TrustProxy } | TrustProxyProblem {
  if (raw === undefined || raw === null || raw === false) return { value: false };
  if (raw === true) return { value: 1 };
  if (typeof raw === 'number') return hops(raw);
  if (Array.isArray(raw)) return list(raw);
  if (typeof raw !== 'string') return { problem: 'TRUST_PROXY_FORMAT', params: {} };
  const text = raw.trim();
  if (/^true$/i.test(text)) return { value: 1 };
  if (/^false$/i.test(text)) return { value: false };
  if (/^\d+$/.test(text)) return hops(Number(text));
  return list(text.split(','));
}

function hops(n: number): { value: TrustProxy } | TrustProxyProblem {
  if (n === 0) return { value: false };
  if (!Number.isInteger(n) || n < 0 || n > MAX_PROXY_HOPS) return { problem: 'TRUST_PROXY_HOPS', params: { max: MAX_PROXY_HOPS } };
  return { value: n };
}

function list(items: unknown[]): { value: TrustProxy } | TrustProxyProblem {
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return { problem: 'TRUST_PROXY_FORMAT', params: {} };
    const entry = item.trim();
    if (entry === '') continue;
    const canonical = canonicalRange(entry);
    if (!canonical) return { problem: 'TRUST_PROXY_ADDRESS', params: { entry: entry.slice(0, 60) } };
    out.push(canonical);
  }
  if (out.length === 0) return { problem: 'TRUST_PROXY_FORMAT', params: {} };
  return { value: out };
}

/** `10.0.0.1` or `10.0.0.0/8` (IPv6 likewise), normalised; null if it is neither. */
function canonicalRange(entry: string): string | null {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
  if (!m) return null;
  const address = unmapped(m[1]!.replace(/^\[(.*)\]$/, '$1'));
  const family = isIP(address);
  if (family === 0) return null;
  if (m[2] === undefined) return address;
  const prefix = Number(m[2]);
  if (prefix > (family === 4 ? 32 : 128)) return null;
  return `${address}/${prefix}`;
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is 192.0.2.1. */
function unmapped(address: string): string {
  return address.replace(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i, '$1');
}

/**
 * One X-Forwarded-For entry as an address: proxies differ in whether they add brackets or a port
 * (`[2001:db8::1]:443`, `192.0.2.1:51234`). Left as it is when it is no address at all.
 */
export function forwardedAddress(entry: string): string {
  let a = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  return unmapped(a);
}

function splitHeader(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export interface ForwardedClient {
  /** The client's address. */
  client: string;
  /**
   * How many trusted proxies the request passed (for a hop count: that count), which is where the
   * outermost one's X-Forwarded-Proto / -Host value sits, counted from the right. Normally the
   * client's position from the right of X-Forwarded-For (1 = the last entry). 0: the socket peer
   * is not trusted, X-Forwarded-* say nothing.
   */
  hops: number;
}

/** A resolver for one setting: the client of a request from its socket address and X-Forwarded-For. */
export function forwardedClientResolver(trust: TrustProxy): (socketAddress: string, xForwardedFor: string | string[] | undefined) => ForwardedClient {
  if (trust === false) return (socket) => ({ client: unmapped(socket), hops: 0 });
  if (typeof trust === 'number') {
    return (socket, xff) => {
      const chain = [...splitHeader(xff).map(forwardedAddress), unmapped(socket)];
      return { client: chain[Math.max(0, chain.length - 1 - trust)]!, hops: trust };
    };
  }
  const blocks = new BlockList();
  for (const range of trust as readonly string[]) {
    const [address, prefix] = range.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) blocks.addAddress(address, family);
    else blocks.addSubnet(address, Number(prefix), family);
  }
  const trusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && blocks.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (socket, xff) => {
    const chain = [...splitHeader(xff).map(forwardedAddress), unmapped(socket)];
    let i = chain.length - 1;
    while (i > 0 && trusted(chain[i]!)) i--;
    // Every trusted hop counts, the leftmost one too when the chain holds nothing but proxies.
    return { client: chain[i]!, hops: chain.length - 1 - i + (trusted(chain[i]!) ? 1 : 0) };
  };
}

/**
 * The value of X-Forwarded-Proto or -Host that the outermost trusted proxy gave: the entry at the
 * client's position from the right (the same rule as the address), or the leftmost when the header
 * is shorter (proxies that set the header rather than append to it). Undefined when untrusted.
 */
export function forwardedValue(value: string | string[] | undefined, hops: number): string | undefined {
  if (hops <= 0) return undefined;
  const values = splitHeader(value);
  if (values.length === 0) return undefined;
  return values[Math.max(0, values.length - hops)];
}
