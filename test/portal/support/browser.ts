import { request as httpRequest } from 'node:http';
/**
 * A small browser for portal tests: a cookie jar, manual redirect following (so tests can see every
 * hop), and forms posted the way a browser does — with the CSRF token of the last page shown and
 * same-origin Origin / Sec-Fetch-Site headers unless a test says otherwise.
 */
export interface Page {
  status: number;
  url: string;
  body: string;
  headers: Headers;
  /** Every response on the way, redirects included. */
  hops: { status: number; url: string; location: string | null; setCookie: string[] }[];
}

export interface PostOptions {
  /** The CSRF token to send; default: the one on the last page. `null` sends none. */
  csrf?: string | null;
  /** Origin header; default: the portal's own. `null` sends none. */
  origin?: string | null;
  secFetchSite?: string | null;
  follow?: boolean;
  headers?: Record<string, string>;
  rawBody?: string;
  contentType?: string;
}

export function csrfTokenOf(html: string): string | null {
  return /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? null;
}

export class Browser {
  readonly jar = new Map<string, string>();
  lastPage: Page | null = null;

  constructor(
    readonly base: string,
    readonly defaultOrigin: string = base,
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(setCookies: string[]): void {
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const maxAge = attrs.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('max-age='));
      if (maxAge === 'max-age=0' || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(method: string, path: string, init: { body?: string; headers?: Record<string, string>; follow?: boolean } = {}): Promise<Page> {
    const hops: Page['hops'] = [];
    let url = new URL(path, this.base).toString();
    let m = method;
    let body = init.body;
    let headers = init.headers ?? {};
    for (let i = 0; i < 10; i++) {
      const res = await fetch(url, { method: m, body, headers: { ...headers, ...(this.jar.size ? { cookie: this.cookieHeader() } : {}) }, redirect: 'manual' });
      const setCookie = res.headers.getSetCookie();
      this.store(setCookie);
      const location = res.headers.get('location');
      hops.push({ status: res.status, url, location, setCookie });
      if (res.status >= 300 && res.status < 400 && location && init.follow !== false) {
        await res.arrayBuffer();
        url = new URL(location, url).toString();
        m = 'GET';
        body = undefined;
        headers = {};
        continue;
      }
      const page: Page = { status: res.status, url, body: await res.text(), headers: res.headers, hops };
      if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastPage = page;
      return page;
    }
    throw new Error('too many redirects');
  }

  get(path: string, follow = true): Promise<Page> {
    return this.request('GET', path, { follow });
  }

  post(path: string, fields: Record<string, string>, opts: PostOptions = {}): Promise<Page> {
    const form = new URLSearchParams();
    const token = opts.csrf === undefined ? csrfTokenOf(this.lastPage?.body ?? '') : opts.csrf;
    if (token !== null) form.set('_csrf', token);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded', ...(opts.headers ?? {}) };
    const origin = opts.origin === undefined ? this.defaultOrigin : opts.origin;
    if (origin !== null) headers.origin = origin;
    const site = opts.secFetchSite === undefined ? 'same-origin' : opts.secFetchSite;
    if (site !== null) headers['sec-fetch-site'] = site;
    return this.request('POST', path, { body: opts.rawBody ?? form.toString(), headers, follow: opts.follow });
  }
}

/** The page's visible text without tags, for message assertions. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/** A GET through node:http, which (unlike fetch) lets a test set the Host header. */
export function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, base);
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
