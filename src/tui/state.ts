import type { DeviceView } from '../core/index.js';

/** An action that needs the member's user ID typed before it runs (destructive ones). */
export type ConfirmAction = { type: 'reissue' } | { type: 'removeOne'; device: DeviceView } | { type: 'removeAll'; count: number } | { type: 'disable' };

export type Modal =
  | { kind: 'confirm'; action: ConfirmAction; typed: string }
  | { kind: 'pick'; index: number }
  | { kind: 'rename'; name: string; kana: string; field: 'name' | 'kana' }
  | { kind: 'secret'; userId: string; password: string }
  | { kind: 'publish'; path: string };

export type Screen = 'main' | 'terms' | 'audit';
export type Focus = 'search' | 'detail';

export interface Message {
  kind: 'info' | 'error';
  text: string;
}
