import { describe, it, expect } from 'vitest';
import { forwardedAddress, forwardedClientResolver, forwardedValue, parseTrustProxy, type TrustProxy } from '../../src/core/trust-proxy.js';

function setting(raw: unknown): TrustProxy {
  const r = parseTrustProxy(raw);
  if ('problem' in r) throw new Error(r.problem);
  return r.value;
}

const client = (trust: unknown, socket: string, xff?: string) => forwardedClientResolver(setting(trust))(socket, xff);

describe('trusted proxies: the client address from the right of X-Forwarded-For', () => {
  it('one hop (true / 1): the entry the proxy appended, never the forged leftmost one', () => {
    expect(client(true, '10.0.0.2', '198.51.100.1, 203.0.113.9')).toEqual({ client: '203.0.113.9', hops: 1 });
    expect(client(1, '10.0.0.2', '203.0.113.9')).toEqual({ client: '203.0.113.9', hops: 1 });
    // No header (a request that did not pass the proxy): the socket.
    expect(client(1, '10.0.0.2', undefined)).toEqual({ client: '10.0.0.2', hops: 1 });
  });

  it('N hops: the Nth entry from the right, or the leftmost when there are fewer', () => {
    expect(client(2, '10.0.0.3', '198.51.100.1, 203.0.113.9, 10.0.0.2')).toEqual({ client: '203.0.113.9', hops: 2 });
    expect(client(3, '10.0.0.3', '203.0.113.9')).toEqual({ client: '203.0.113.9', hops: 3 });
  });

  it('a list: walking left from the socket, the first address not on it', () => {
    const list = '127.0.0.1, 10.0.0.0/8, 2001:db8::/32';
    expect(client(list, '127.0.0.1', '198.51.100.1, 203.0.113.9, 10.1.2.3')).toEqual({ client: '203.0.113.9', hops: 2 });
    expect(client(list, '::ffff:127.0.0.1', '203.0.113.9')).toEqual({ client: '203.0.113.9', hops: 1 });
    expect(client(list, '2001:db8::5', '[2001:db9::7]:443, 2001:db8::6')).toEqual({ client: '2001:db9::7', hops: 2 });
    // The socket is no trusted proxy: it is the client, the header says nothing.
    expect(client(list, '192.0.2.50', '203.0.113.9')).toEqual({ client: '192.0.2.50', hops: 0 });
    // Only trusted proxies in the chain: the leftmost of them (and all three are trusted hops).
    expect(client(list, '127.0.0.1', '10.1.1.1, 10.2.2.2')).toEqual({ client: '10.1.1.1', hops: 3 });
    // A trusted proxy that sent no X-Forwarded-For: its own address, its X-Forwarded-Proto counts.
    expect(client(list, '127.0.0.1', undefined)).toEqual({ client: '127.0.0.1', hops: 1 });
    // Something that is no address is never a trusted proxy.
    expect(client(list, '127.0.0.1', '203.0.113.9, unknown')).toEqual({ client: 'unknown', hops: 1 });
  });

  it('off: the socket address, IPv4-mapped addresses unmapped', () => {
    expect(client(false, '::ffff:192.0.2.1', '203.0.113.9')).toEqual({ client: '192.0.2.1', hops: 0 });
  });

  it('entries with ports or brackets are addresses', () => {
    expect(forwardedAddress(' 192.0.2.1:51234 ')).toBe('192.0.2.1');
    expect(forwardedAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(forwardedAddress('[2001:db8::1]')).toBe('2001:db8::1');
    expect(forwardedAddress('2001:db8::1')).toBe('2001:db8::1');
  });

  it('X-Forwarded-Proto / -Host: the entry at the same position from the right, the leftmost when shorter, nothing when untrusted', () => {
    expect(forwardedValue('https, http', 1)).toBe('http');
    expect(forwardedValue('http, https, http', 2)).toBe('https');
    expect(forwardedValue('https', 2)).toBe('https');
    expect(forwardedValue('https', 0)).toBeUndefined();
    expect(forwardedValue(undefined, 1)).toBeUndefined();
    expect(forwardedValue(' , ', 1)).toBeUndefined();
  });
});
