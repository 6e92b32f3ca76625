// The load generator of the portal benchmark: autocannon, run as its own process so portal-bench
// can pin it (taskset) to the core the server does not use. A fetch loop cannot saturate Koa.
//
//   node load.mjs '{"scenario":"page","url":"http://127.0.0.1:PORT","seconds":5,"connections":16,"cookie":"kosmo_session=…"}'
//
// Scenarios:
// - hello:  GET / (the Koa hello-world yardstick)
// - page:   GET / with an authenticated session cookie (the member's top page)
// - login:  per connection, GET /login (new anonymous session, CSRF token) then POST /login with a
//           member's right password; one member per connection, so no two attempts share a
//           throttle counter. A login counts when the POST answered 303 to the next login step.
// Prints one JSON line: { requests, perSecond, non2xx, errors, logins?, loginFailures? }.
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
const { scenario, url, seconds, connections } = opts;

/** A response header by name, whatever its case (autocannon keeps the raw names). */
function header(headers, name) {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function cookieOf(headers) {
  const raw = header(headers, 'set-cookie');
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((c) => c.split(';')[0]).join('; ');
}

let logins = 0;
let loginFailures = 0;
let nextMember = 0;
const config = { url, duration: seconds, connections, pipelining: 1 };
if (scenario === 'hello') {
  config.requests = [{ method: 'GET', path: '/' }];
} else if (scenario === 'page') {
  config.requests = [{ method: 'GET', path: '/', headers: { cookie: opts.cookie } }];
} else if (scenario === 'login') {
  const members = opts.members;
  const origin = new URL(url).origin;
  config.requests = [
    {
      method: 'GET',
      path: '/login',
      setupRequest(req, context) {
        context.member ??= members[nextMember++ % members.length];
        return req;
      },
      onResponse(status, body, context, headers) {
        context.cookie = cookieOf(headers);
        context.csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
      },
    },
    {
      method: 'POST',
      path: '/login',
      setupRequest(req, context) {
        const m = context.member;
        return {
          ...req,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: context.cookie, origin, 'sec-fetch-site': 'same-origin' },
          body: new URLSearchParams({ _csrf: context.csrf, userId: m.userId, password: m.password }).toString(),
        };
      },
      onResponse(status, _body, _context, headers) {
        if (status === 303 && /^\/login\/(birth-date|second-factor)$/.test(String(header(headers, 'location') ?? ''))) logins++;
        else loginFailures++;
      },
    },
  ];
} else {
  throw new Error(`unknown scenario ${scenario}`);
}

const result = await autocannon(config);
const total = result.requests.total;
const out = { requests: total, perSecond: total / seconds, non2xx: result.non2xx, errors: result.errors + result.timeouts };
// A POST answered with 303 counts as non-2xx for autocannon; the login scenario judges by itself.
if (scenario === 'login') Object.assign(out, { logins, loginFailures, perSecond: logins / seconds, non2xx: 0 });
console.log(JSON.stringify(out));
