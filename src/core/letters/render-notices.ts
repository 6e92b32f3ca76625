import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isoJapan, longJapan } from '../util/japan-time.js';

/** What one notice letter (通知書) carries. Only the provisional password is secret. */
export interface NoticeMember {
  userId: string;
  password: string;
  name: string;
  kana: string;
  cardSymbol: string | null;
  cardNumber: string | null;
  cardBranch: string | null;
  expiresAt: Date;
}

export interface NoticeSociety {
  name: string;
  portalTitle: string;
  contact: string;
}

// templates/letters sits three levels above this file both as src/core/letters/*.ts and as
// dist/core/letters/*.js.
const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates', 'letters');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** `{{name}}` is replaced HTML-escaped, `{{{name}}}` as is (only for markup we made: the QR SVG, the pages). */
function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/g, (whole, raw: string | undefined, esc: string | undefined) => {
    const key = (raw ?? esc)!;
    if (!(key in vars)) throw new TypeError(`letters template: no value for ${key}`);
    return raw ? vars[key]! : escapeHtml(vars[key]!);
  });
}

/** The portal address as a QR code, inline SVG from the `qrcode` package (nothing sent anywhere). */
export async function portalQrSvg(url: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').trim();
}

/**
 * The notice letters as one printable HTML document: one A4 page per member (CSS `@page` and
 * page breaks) with the society, the member, the provisional user ID and password, the expiry,
 * the portal address with its QR code and the first-login steps of the member manual §2-1.
 */
export async function renderNotices(society: NoticeSociety, portalUrl: string, members: NoticeMember[], issuedAt: Date): Promise<string> {
  const doc = readFileSync(join(TEMPLATES, 'notice-document.html'), 'utf8');
  const page = readFileSync(join(TEMPLATES, 'notice-page.html'), 'utf8');
  const qrSvg = await portalQrSvg(portalUrl);
  const issuedOn = isoJapan(issuedAt)
    .slice(0, 10)
    .replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日');
  const pages = members.map((m) => {
    const card = [m.cardSymbol && `記号 ${m.cardSymbol}`, m.cardNumber && `番号 ${m.cardNumber}`, m.cardBranch && `枝番 ${m.cardBranch}`].filter(Boolean).join('  ');
    return fill(page, {
      societyName: society.name,
      portalTitle: society.portalTitle,
      contact: society.contact ? ` ${society.contact}` : '',
      issuedOn,
      name: m.name,
      kana: m.kana,
      card,
      userId: m.userId,
      password: m.password,
      expiresAt: longJapan(m.expiresAt),
      portalUrl,
      qrSvg,
    });
  });
  return fill(doc, { title: `${society.portalTitle} 通知書 (${members.length})`, pages: pages.join('\n') });
}
