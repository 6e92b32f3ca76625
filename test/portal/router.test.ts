import { describe, it, expect } from 'vitest';
import Router from '@koa/router';
import { createRouter, type PortalRouter } from '../../src/portal/router.js';
import type { PortalState } from '../../src/portal/types.js';

const noop = async () => undefined;

/** The portal's router with a few routes of each kind, and a count of the patterns it tests. */
function countingRouter(): { router: PortalRouter; tests: () => number } {
  const router = createRouter();
  router.get('/', noop);
  router.get('/login', noop);
  router.post('/login', noop);
  router.get('/password/reset/:token', noop);
  router.get('/faq', noop);
  let count = 0;
  for (const layer of router.stack) {
    const match = layer.match.bind(layer);
    layer.match = (path: string) => {
      count++;
      return match(path);
    };
  }
  return { router, tests: () => count };
}

/** What @koa/router itself answers, for comparison. */
function plainRouter(): PortalRouter {
  const router = new Router<PortalState>();
  router.get('/', noop);
  router.get('/login', noop);
  router.post('/login', noop);
  router.get('/password/reset/:token', noop);
  router.get('/faq', noop);
  return router;
}

const summary = (result: ReturnType<PortalRouter['match']>) => ({
  path: result.path.map((l) => `${l.methods.join(',')} ${String(l.path)}`),
  pathAndMethod: result.pathAndMethod.map((l) => `${l.methods.join(',')} ${String(l.path)}`),
  route: result.route,
});

describe('the portal router (exact paths matched once)', () => {
  it('answers every path as @koa/router does', () => {
    const { router } = countingRouter();
    const plain = plainRouter();
    for (const [path, method] of [
      ['/', 'GET'],
      ['/', 'GET'],
      ['/login', 'POST'],
      ['/login', 'GET'],
      ['/login', 'POST'],
      ['/LOGIN/', 'GET'],
      ['/password/reset/abc', 'GET'],
      ['/nowhere', 'GET'],
      ['/faq', 'DELETE'],
    ] as const) {
      expect(summary(router.match(path, method)), `${method} ${path}`).toEqual(summary(plain.match(path, method)));
    }
  });

  it('tests the patterns once for a route’s own path, then answers from memory', () => {
    const { router, tests } = countingRouter();
    router.match('/', 'GET');
    const first = tests();
    expect(first).toBeGreaterThan(0);
    router.match('/', 'GET');
    router.match('/', 'GET');
    expect(tests()).toBe(first);
  });

  it('keeps nothing for other paths: parameters, other spellings, unknown paths', () => {
    const { router, tests } = countingRouter();
    for (const path of ['/password/reset/abc', '/LOGIN', '/login/', '/nowhere']) {
      router.match(path, 'GET');
      const once = tests();
      router.match(path, 'GET');
      expect(tests(), path).toBeGreaterThan(once);
    }
  });

  it('hands out copies: what one request adds to its match never reaches the next', () => {
    const { router } = countingRouter();
    const a = router.match('/login', 'GET');
    a.path.push(a.path[0]!);
    a.pathAndMethod.length = 0;
    const b = router.match('/login', 'GET');
    expect(b.path).toHaveLength(2);
    expect(b.pathAndMethod).toHaveLength(1);
  });

  it('forgets what it knew when a route is added', () => {
    const { router } = countingRouter();
    expect(router.match('/faq', 'POST').route).toBe(false);
    expect(router.match('/faq', 'GET').route).toBe(true);
    router.post('/faq', noop);
    expect(router.match('/faq', 'POST').route).toBe(true);
    expect(router.match('/faq', 'GET').pathAndMethod).toHaveLength(1);
  });
});
