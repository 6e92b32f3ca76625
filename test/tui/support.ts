import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render as inkRender } from 'ink';
import type { ReactElement } from 'react';
import { issueMember } from '../../src/core/accounts/issue-member.js';
import { Member, Passkey, Session, TotpDevice } from '../../src/core/db/entities/index.js';
import { STAFF, type TestCore } from '../support/core.js';
import { createTuiServices, type TuiServices } from '../../src/tui/services.js';
import { ensureBuilt } from '../support/cli.js';

export const KEY = {
  enter: '\r',
  esc: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  tab: '\t',
  backspace: '\u007F',
  ctrlT: '\u0014',
} as const;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` stops throwing (an expect inside), then returns its value. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await sleep(20);
    }
  }
}

interface Stdin {
  write(data: string): void;
}

/** Key presses one at a time, as a person types: a lone Esc needs Ink's 20 ms to be told from a sequence. */
export async function press(stdin: Stdin, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await sleep(k === KEY.esc ? 60 : 15);
  }
}

/** Typing text character by character. */
export async function type(stdin: Stdin, text: string): Promise<void> {
  await press(stdin, ...[...text]);
}

/** The services on a real database, with every search call recorded. */
export function recordingServices(t: TestCore): { services: TuiServices; searches: { text: string; limit: number }[]; logPath: string } {
  const logPath = join(mkdtempSync(join(tmpdir(), 'kosmo-tui-')), 'kosmo-tui.log');
  const real = createTuiServices(t.core, t.society, STAFF, logPath);
  const searches: { text: string; limit: number }[] = [];
  return {
    services: { ...real, search: (text, limit) => (searches.push({ text, limit }), real.search(text, limit)) },
    searches,
    logPath,
  };
}

let card = 0;
/** A member, optionally active (first login done) with two OTP devices, a passkey and a session. */
export async function seedMember(t: TestCore, name: string, kana: string, opts: { devices?: boolean; email?: string } = {}) {
  card += 1;
  const r = await issueMember(t.core, STAFF, { societyId: t.society.id, member: { name, kana, birthDate: '1979-08-22', cardNumber: String(3000 + card), email: opts.email } });
  if (opts.devices) {
    const em = t.core.db.em();
    const m = await em.findOneOrFail(Member, { id: r.member.id });
    m.status = 'active';
    m.onboardingStep = null;
    const at = t.clock.now();
    em.create(TotpDevice, { member: m, name: 'iPhone', secretEnc: 'v1.a.b.c', lastUsedStep: null, createdAt: at, lastUsedAt: at });
    em.create(TotpDevice, { member: m, name: 'iPad', secretEnc: 'v1.a.b.c', lastUsedStep: null, createdAt: at, lastUsedAt: null });
    em.create(Passkey, { member: m, label: 'Pixel', credentialId: randomBytes(12).toString('base64url'), publicKey: 'pk', counter: 0, transports: [], createdAt: at, lastUsedAt: null });
    em.create(Session, {
      society: m.society,
      member: m,
      tokenHash: randomBytes(32).toString('hex'),
      state: {} as never,
      persistent: false,
      authenticatedAt: at,
      createdAt: at,
      lastSeenAt: at,
      idleExpiresAt: new Date('2099-01-01'),
      absoluteExpiresAt: new Date('2099-01-01'),
      ip: null,
      userAgent: null,
    });
    await em.flush();
  }
  return r;
}

/** A terminal of a given size (ink-testing-library's is 100 columns with no height). */
export function renderSized(tree: ReactElement, columns: number, rows: number) {
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows,
    isTTY: true,
    frames: [] as string[],
    write(frame: string) {
      stdout.frames.push(frame);
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    data: null as string | null,
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read() {
      const d = stdin.data;
      stdin.data = null;
      return d;
    },
    write(data: string) {
      stdin.data = data;
      stdin.emit('readable');
      stdin.emit('data', data);
    },
  });
  const instance = inkRender(tree, { stdout: stdout as never, stdin: stdin as never, stderr: stdout as never, debug: true, exitOnCtrlC: false, patchConsole: false });
  return { stdin, lastFrame: () => stdout.frames.at(-1) ?? '', unmount: () => instance.unmount() };
}

/**
 * test/support/cli.ts rebuilds dist/ when src/cli or src/core changed; the binary also loads
 * dist/tui, so rebuild (under the same lock) when a TUI source is newer than its build.
 */
/** The TUI runs from dist/ like the rest: one build check for all of src/. */
export const ensureTuiBuilt = ensureBuilt;
