import { render } from 'ink';
import type { Lang } from '../staff-text/lang.js';
import type { CoreContext, Actor } from '../core/index.js';
import { App } from './app.js';
import { createTuiServices } from './services.js';

export interface RunTuiOptions {
  core: CoreContext;
  society: { id: number; name: string };
  actor: Actor;
  lang: Lang;
  /** Where unexpected errors are written (the banner names it). */
  logPath: string;
}

/** Mounts the Ink app on the terminal and resolves when staff quit (Ctrl+C). */
export async function runTui(o: RunTuiOptions): Promise<void> {
  const services = createTuiServices(o.core, o.society, o.actor, o.logPath);
  const app = render(<App services={services} lang={o.lang} />, { exitOnCtrlC: true, alternateScreen: true });
  try {
    await app.waitUntilExit();
  } finally {
    await services.idle();
  }
}
