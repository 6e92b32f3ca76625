import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * WCAG 2.2 AA contrast checks of a portal page in real Chromium (issue 12 point 6), at each width:
 * - axe-core's `color-contrast` rule for text (4.5:1, 3:1 for large text); where axe cannot decide
 *   (text on a gradient, which it reports as "incomplete"), the text colour is checked here against
 *   every colour stop of the gradient behind it;
 * - computed styles for what axe does not check: the focus indicator of every focusable element
 *   (outline at least 2 px, 3:1 against the colours it is drawn on — 1.4.11 / 2.4.13) and the
 *   border of every text field (3:1 against the colours on both sides of it — 1.4.11).
 */
export const WIDTHS = [360, 390, 1280] as const;

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface ContrastIssue {
  page: string;
  width: number;
  kind: 'text' | 'focus' | 'border' | 'axe-undecided';
  target: string;
  detail: string;
}

interface AxeNode {
  target: string[];
  failureSummary?: string;
  any: { id: string; data?: Record<string, unknown> | null; message: string }[];
}

interface InPageIssue {
  kind: 'text' | 'focus' | 'border';
  target: string;
  detail: string;
}

/**
 * Runs in the page (serialised by page.evaluate: no closure over test code). Colours come from
 * getComputedStyle; the background behind an element is found by walking up to the first opaque
 * background (translucent ones composited over it), or the colour stops of a gradient.
 */
function inPage(args: { mode: 'focus-and-borders' | 'text'; scope: string | null; targets: string[] }): { issues: InPageIssue[]; checked: number } {
  type RGBA = { r: number; g: number; b: number; a: number };
  const parse = (c: string): RGBA | null => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return { r: p[0]!, g: p[1]!, b: p[2]!, a: p.length > 3 ? p[3]! : 1 };
  };
  const over = (top: RGBA, base: RGBA): RGBA => ({ r: top.a * top.r + (1 - top.a) * base.r, g: top.a * top.g + (1 - top.a) * base.g, b: top.a * top.b + (1 - top.a) * base.b, a: 1 });
  const lum = (c: RGBA) => {
    const f = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a: RGBA, b: RGBA) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x! + 0.05) / (y! + 0.05);
  };
  const fmt = (c: RGBA) => `rgb(${Math.round(c.r)},${Math.round(c.g)},${Math.round(c.b)})`;
  /** The colours that can be behind `start` (one, or each stop of a gradient). */
  const backgrounds = (start: Element | null): RGBA[] => {
    const layers: RGBA[] = [];
    let bases: RGBA[] = [{ r: 255, g: 255, b: 255, a: 1 }];
    for (let el = start; el; el = el.parentElement) {
      const cs = getComputedStyle(el);
      const stops = cs.backgroundImage.includes('gradient') ? (cs.backgroundImage.match(/rgba?\([^)]*\)/g) ?? []).map((s) => parse(s)!).filter(Boolean) : [];
      if (stops.length) {
        bases = stops.map((s) => over(s, { r: 255, g: 255, b: 255, a: 1 }));
        break;
      }
      const c = parse(cs.backgroundColor);
      if (c && c.a > 0) {
        if (c.a >= 1) {
          bases = [c];
          break;
        }
        layers.push(c);
      }
    }
    return bases.map((b) => layers.reduceRight((acc, layer) => over(layer, acc), b));
  };
  const name = (el: Element) => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
    return `${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ''}`;
  };
  const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const issues: InPageIssue[] = [];
  let checked = 0;

  if (args.mode === 'text') {
    // Text axe could not decide (gradient behind it): its colour against every stop.
    for (const sel of args.targets) {
      const el = document.querySelector(sel);
      if (!el) continue;
      checked++;
      const cs = getComputedStyle(el);
      const size = parseFloat(cs.fontSize);
      const bold = Number(cs.fontWeight) >= 700;
      const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const fg = parse(cs.color)!;
      for (const bg of backgrounds(el)) {
        const r = ratio(over(fg, bg), bg);
        if (r < need) issues.push({ kind: 'text', target: name(el), detail: `${fmt(fg)} on ${fmt(bg)}: ${r.toFixed(2)}:1 < ${need}:1` });
      }
    }
    return { issues, checked };
  }

  const root = args.scope ? document.querySelector(args.scope) : document;
  const focusables = Array.from((root ?? document).querySelectorAll<HTMLElement>('a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')).filter(
    (el) => !(el as HTMLButtonElement).disabled && visible(el),
  );
  for (const el of focusables) {
    el.focus();
    if (document.activeElement !== el) continue;
    checked++;
    const cs = getComputedStyle(el);
    if (!el.matches(':focus-visible')) {
      issues.push({ kind: 'focus', target: name(el), detail: 'does not match :focus-visible after keyboard navigation' });
      continue;
    }
    const width = parseFloat(cs.outlineWidth);
    const color = parse(cs.outlineColor);
    if (cs.outlineStyle === 'none' || !(width >= 2) || !color) {
      issues.push({ kind: 'focus', target: name(el), detail: `no visible outline (${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor})` });
      continue;
    }
    // The ring is drawn outside the element (offset >= 0): against what is behind the element.
    for (const bg of backgrounds(el.parentElement)) {
      const ring = over(color, bg);
      const r = ratio(ring, bg);
      if (r < 3) issues.push({ kind: 'focus', target: name(el), detail: `outline ${fmt(ring)} on ${fmt(bg)}: ${r.toFixed(2)}:1 < 3:1` });
    }
  }
  (document.activeElement as HTMLElement | null)?.blur?.();
  if (!args.scope) {
    const fields = Array.from(document.querySelectorAll<HTMLElement>('input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), select, textarea')).filter(visible);
    for (const el of fields) {
      checked++;
      const cs = getComputedStyle(el);
      const color = parse(cs.borderTopColor);
      if (cs.borderTopStyle === 'none' || parseFloat(cs.borderTopWidth) <= 0 || !color) {
        issues.push({ kind: 'border', target: name(el), detail: 'no border' });
        continue;
      }
      for (const bg of [...backgrounds(el.parentElement), ...backgrounds(el)]) {
        const edge = over(color, bg);
        const r = ratio(edge, bg);
        if (r < 3) issues.push({ kind: 'border', target: name(el), detail: `border ${fmt(edge)} next to ${fmt(bg)}: ${r.toFixed(2)}:1 < 3:1` });
      }
    }
  }
  return { issues, checked };
}

/**
 * Reasons axe gives for leaving a node undecided that the computed check here settles: text on a
 * gradient (its colour against every stop), and text too short for axe to call it text (the step
 * numbers of the progress indicator: checked like any text).
 */
const SETTLED_HERE = new Set(['bgGradient', 'bgImage', 'shortTextContent']);

/**
 * The contrast issues of the page as it is now, at each width (the viewport is resized, the page is
 * not reloaded, so what the member typed or opened stays). `scope` limits the focus walk to a part
 * of the page (an open menu, which a focus outside it would close).
 */
export async function contrastIssues(page: Page, label: string, opts: { widths?: readonly number[]; scope?: string } = {}): Promise<{ issues: ContrastIssue[]; checked: number }> {
  const issues: ContrastIssue[] = [];
  let checked = 0;
  const start = page.viewportSize() ?? { width: 390, height: 844 };
  const height = start.height;
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  for (const width of opts.widths ?? WIDTHS) {
    await page.setViewportSize({ width, height });
    // From the top, nothing focused: the sticky header then covers nothing axe has to look behind.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur?.();
      window.scrollTo(0, 0);
    });
    // With a scope (an open menu over the page), only that part: what it covers is not on screen.
    const axe = (await page.evaluate(
      (scope) =>
        (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<unknown> } }).axe.run(scope ? { include: [scope] } : document, {
          runOnly: { type: 'rule', values: ['color-contrast'] },
          resultTypes: ['violations', 'incomplete'],
        }),
      opts.scope ?? null,
    )) as { violations: { nodes: AxeNode[] }[]; incomplete: { nodes: AxeNode[] }[]; passes: unknown[] };
    for (const v of axe.violations) for (const n of v.nodes) issues.push({ page: label, width, kind: 'text', target: n.target.join(' '), detail: n.failureSummary ?? '' });
    const undecided: string[] = [];
    for (const v of axe.incomplete) {
      for (const n of v.nodes) {
        const reason = n.any.map((a) => String(a.data && (a.data as { messageKey?: string }).messageKey)).find(Boolean) ?? '';
        if (SETTLED_HERE.has(reason)) undecided.push(n.target.join(' '));
        else issues.push({ page: label, width, kind: 'axe-undecided', target: n.target.join(' '), detail: `${reason}: ${n.any.map((a) => a.message).join('; ')}` });
      }
    }
    const text = await page.evaluate(inPage, { mode: 'text' as const, scope: null, targets: undecided });
    // A first Tab makes later programmatic focus keyboard focus (:focus-visible), as a member's Tab
    // would; inside `scope`, so an open menu stays open.
    if (opts.scope) await page.evaluate((sel) => document.querySelector<HTMLElement>(`${sel} summary, ${sel} a[href]`)?.focus(), opts.scope);
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(inPage, { mode: 'focus-and-borders' as const, scope: opts.scope ?? null, targets: [] });
    for (const i of [...text.issues, ...focus.issues]) issues.push({ page: label, width, ...i });
    checked += text.checked + focus.checked;
  }
  await page.setViewportSize(start);
  return { issues, checked };
}
