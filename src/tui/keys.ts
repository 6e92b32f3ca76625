import type { Key } from 'ink';
import type { Dispatch, SetStateAction } from 'react';
import { type MemberDetail, type AuditView, normalizeUserId } from '../core/index.js';
import type { MemberSummary, TuiServices } from './services.js';
import type { Translate } from './i18n.js';
import type { ConfirmAction, Focus, Message, Modal, Screen } from './state.js';
import { editText } from './text-edit.js';

export interface KeyContext {
  tr: Translate;
  services: TuiServices;
  /** A core call is running: keys that would start another change wait (no double submit). */
  busy: boolean;
  screen: Screen;
  focus: Focus;
  query: string;
  results: MemberSummary[];
  selected: number;
  detail: MemberDetail | null;
  modal: Modal | null;
  audit: { userId: string; events: AuditView[] | null; offset: number };
  rows: number;
  setScreen(s: Screen): void;
  setFocus(f: Focus): void;
  setQuery: Dispatch<SetStateAction<string>>;
  setSelected: Dispatch<SetStateAction<number>>;
  setModal(m: Modal | null): void;
  setMessage(m: Message | null): void;
  setAudit: Dispatch<SetStateAction<{ userId: string; events: AuditView[] | null; offset: number }>>;
  run(fn: () => Promise<string | void>): Promise<void>;
  openTerms(): void;
  openAudit(userId: string): void;
}

/** One keyboard handler for the whole app: the mode decides what a key means. */
export function handleKey(input: string, key: Key, c: KeyContext): void {
  if (c.modal) return modalKey(input, key, c, c.modal);
  if (c.screen === 'terms') {
    if (key.escape) c.setScreen('main');
    else if (input === 'p' && !c.busy) c.setModal({ kind: 'publish', path: '' });
    return;
  }
  if (c.screen === 'audit') {
    const max = Math.max(0, (c.audit.events?.length ?? 0) - 1);
    if (key.escape) c.setScreen('main');
    else if (key.downArrow) c.setAudit((a) => ({ ...a, offset: Math.min(max, a.offset + 1) }));
    else if (key.upArrow) c.setAudit((a) => ({ ...a, offset: Math.max(0, a.offset - 1) }));
    return;
  }
  if (key.upArrow) return c.setSelected((s) => Math.max(0, s - 1));
  if (key.downArrow) return c.setSelected((s) => Math.min(Math.max(0, c.results.length - 1), s + 1));
  if (c.focus === 'search') return searchKey(input, key, c);
  return detailKey(input, key, c);
}

function searchKey(input: string, key: Key, c: KeyContext): void {
  if (key.ctrl && input === 't') return c.openTerms();
  if (key.return) {
    if (c.detail) c.setFocus('detail');
    return;
  }
  if (key.escape) {
    c.setQuery('');
    c.setMessage(null);
    return;
  }
  const next = editText(c.query, input, key);
  if (next !== null) {
    c.setQuery(next);
    c.setSelected(0);
  }
}

function detailKey(input: string, key: Key, c: KeyContext): void {
  const d = c.detail;
  if (key.escape || key.tab) return c.setFocus('search');
  if (input === 't') return c.openTerms();
  if (!d || (c.busy && 'updaxr'.includes(input))) return;
  const userId = d.userId;
  c.setMessage(null);
  switch (input) {
    case 'u':
      void c.run(async () => c.tr((await c.services.unlock(userId)).wasLocked ? 'member.unlocked' : 'member.notLocked', { userId }));
      return;
    case 'p':
      return c.setModal({ kind: 'confirm', action: { type: 'reissue' }, typed: '' });
    case 'd':
      if (d.devices.length === 0) return c.setMessage({ kind: 'info', text: c.tr('devices.nothing', { userId }) });
      return c.setModal({ kind: 'pick', index: 0 });
    case 'a':
      if (d.devices.length === 0) return c.setMessage({ kind: 'info', text: c.tr('devices.nothing', { userId }) });
      return c.setModal({ kind: 'confirm', action: { type: 'removeAll', count: d.devices.length }, typed: '' });
    case 'x':
      if (d.status !== 'disabled') return c.setModal({ kind: 'confirm', action: { type: 'disable' }, typed: '' });
      void c.run(async () => c.tr((await c.services.setDisabled(userId, false)).changed ? 'member.enabled' : 'member.unchanged', { userId }));
      return;
    case 'r':
      return c.setModal({ kind: 'rename', name: d.name, kana: d.kana, field: 'name' });
    case 'l':
      return c.openAudit(userId);
  }
}

function modalKey(input: string, key: Key, c: KeyContext, m: Modal): void {
  const d = c.detail;
  if (m.kind === 'secret') {
    // The password leaves the screen and the state: it cannot be shown again.
    if (key.return || key.escape) c.setModal(null);
    return;
  }
  if (key.escape) return c.setModal(null);
  if (c.busy && key.return) return;
  if (m.kind === 'publish') {
    if (key.return) {
      c.setModal(null);
      void c.run(async () => {
        const v = await c.services.publishTerms(m.path);
        c.openTerms();
        return c.tr('terms.published', { version: v.version });
      });
      return;
    }
    const path = editText(m.path, input, key);
    if (path !== null) c.setModal({ ...m, path });
    return;
  }
  if (!d) return c.setModal(null);
  if (m.kind === 'pick') {
    if (key.upArrow) c.setModal({ ...m, index: Math.max(0, m.index - 1) });
    else if (key.downArrow) c.setModal({ ...m, index: Math.min(d.devices.length - 1, m.index + 1) });
    else if (key.return && d.devices[m.index]) c.setModal({ kind: 'confirm', action: { type: 'removeOne', device: d.devices[m.index]! }, typed: '' });
    return;
  }
  if (m.kind === 'rename') {
    if (key.tab) return c.setModal({ ...m, field: m.field === 'name' ? 'kana' : 'name' });
    if (key.return) {
      // Stays open on invalid input, so staff can correct it.
      void c.run(async () => {
        const r = await c.services.rename(d.userId, { name: m.name, kana: m.kana });
        c.setModal(null);
        return c.tr('member.renamed', r);
      });
      return;
    }
    const value = editText(m[m.field], input, key);
    if (value !== null) c.setModal({ ...m, [m.field]: value });
    return;
  }
  // confirm
  if (key.return) {
    c.setModal(null);
    if (normalizeUserId(m.typed) !== normalizeUserId(d.userId)) return c.setMessage({ kind: 'error', text: c.tr('tui.confirm.mismatch') });
    void c.run(() => confirmed(c, d.userId, m.action));
    return;
  }
  const typed = editText(m.typed, input, key);
  if (typed !== null) c.setModal({ ...m, typed });
}

async function confirmed(c: KeyContext, userId: string, a: ConfirmAction): Promise<string | void> {
  switch (a.type) {
    case 'reissue': {
      const r = await c.services.reissue(userId);
      c.setModal({ kind: 'secret', userId: r.userId, password: r.password });
      return c.tr('member.reissued', { userId });
    }
    case 'removeOne':
    case 'removeAll': {
      const r = await c.services.removeDevices(userId, a.type === 'removeAll' ? { all: true } : { name: `${a.device.kind}:${a.device.name}` });
      return c.tr('devices.removed', { userId, names: r.removed.map((x) => `${x.kind}:${x.name}`).join(', '), sessions: r.sessionsEnded });
    }
    case 'disable':
      return c.tr((await c.services.setDisabled(userId, true)).changed ? 'member.disabled' : 'member.unchanged', { userId });
  }
}
