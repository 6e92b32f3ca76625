import { KosmoError } from '../../core/index.js';
import { renderPage } from '../page.js';
import type { PortalContext, PortalDeps, PortalMiddleware } from '../types.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_FIELDS = 100;

type ReadResult = { ok: true; text: string } | { ok: false };

/** Reads the body up to `limit` bytes; past it, stops keeping data (Node drains the rest). */
function readLimited(ctx: PortalContext, limit: number): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const req = ctx.req;
    const finish = (r: ReadResult) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ ok: false });
      } else chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', (e) => (done ? undefined : ((done = true), reject(e))));
    req.on('aborted', () => finish({ ok: false }));
  });
}

/**
 * A small application/x-www-form-urlencoded parser with a size limit (ASVS 4.x: bound what a request
 * may make the server hold): bodies over the limit get the 413 page, other content types the 415
 * page. Decoding is the WHATWG URLSearchParams algorithm, which never throws on bad percent
 * escapes or invalid UTF-8. Values are plain strings; a repeated name keeps its first value, so no
 * field can turn into an array; the record has no prototype.
 */
export function bodyParser(deps: PortalDeps): PortalMiddleware {
  const limit = deps.options.bodyLimit;
  return async (ctx, next) => {
    if (!UNSAFE.has(ctx.method)) return next();
    const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
    const length = ctx.get('content-length');
    const hasBody = (length !== '' && length !== '0') || ctx.get('transfer-encoding') !== '';
    if (!hasBody) return next();
    if (type !== 'application/x-www-form-urlencoded') {
      renderPage(ctx, deps, 'error.njk', { message: new KosmoError('INPUT_INVALID').memberMessage, status: 415 }, 415);
      return;
    }
    const tooLarge = () => renderPage(ctx, deps, 'error.njk', { message: '送信されたデータが大きすぎます。入力内容をご確認ください。', status: 413 }, 413);
    if (length !== '' && Number(length) > limit) return tooLarge();
    const read = await readLimited(ctx, limit);
    if (!read.ok) return tooLarge();
    const params = new URLSearchParams(read.text);
    const body = Object.create(null) as Record<string, string>;
    let count = 0;
    for (const [key, value] of params) {
      if (++count > MAX_FIELDS) {
        renderPage(ctx, deps, 'error.njk', { message: new KosmoError('INPUT_INVALID').memberMessage, status: 400 }, 400);
        return;
      }
      if (!(key in body)) body[key] = value;
    }
    ctx.state.body = body;
    await next();
  };
}
