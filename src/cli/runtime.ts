import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { type KosmoConfig, type CoreContext, KosmoError, KosmoValidationError, type ErrorCode, type Actor, type SocietyView } from '../core/index.js';
import { errorText, langFromEnv, t, type Lang } from '../staff-text/index.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

export interface GlobalOptions {
  dataDir?: string;
  society?: string;
  json?: boolean;
  as?: string;
}

/**
 * A usage problem found by a command (a bad flag value): exit 2 naming the flag. `reason` is a
 * reason code of the staff-text catalogue (`RANGE` with `{min, max}` …), never prose.
 */
export function usageError(field: string, reason: string, params: Record<string, unknown> = {}): KosmoError {
  return new KosmoError('INPUT_INVALID', { ...params, field, reason });
}

/**
 * What every command gets: global options, the core (opened once, closed on exit), the society,
 * the acting staff member for the audit log, output in text or `--json`, and failure handling with
 * the exit codes of DESIGN.md §3.
 */
export class CliRuntime {
  readonly lang: Lang = langFromEnv();
  private core: CoreContext | null = null;
  private program: Command | null = null;

  attach(program: Command): void {
    this.program = program;
  }

  globals(): GlobalOptions {
    return (this.program?.opts() ?? {}) as GlobalOptions;
  }

  /** The core modules load on first use, never for `--help` (DESIGN.md §6). */
  async config(): Promise<KosmoConfig> {
    const { loadConfig } = await import('../core/index.js');
    return loadConfig({ dataDir: this.globals().dataDir });
  }

  /** Opens the core on an initialised data directory with all migrations applied. */
  async openCore(opts: { allowPending?: boolean } = {}): Promise<CoreContext> {
    if (this.core) return this.core;
    const config = await this.config();
    if (config.dialect === 'sqlite' && !existsSync(config.dataDir)) throw new KosmoError('DATA_DIR_MISSING', { dataDir: config.dataDir });
    const { createCore, pendingMigrations } = await import('../core/index.js');
    this.core = await createCore(config);
    if (!opts.allowPending && (await pendingMigrations(this.core)).length > 0) throw new KosmoError('MIGRATIONS_PENDING');
    return this.core;
  }

  /**
   * The society a command works on: `--society`, else the only one. Several societies and no
   * `--society` is ambiguous: SOCIETY_AMBIGUOUS, exit 2.
   */
  async society(core: CoreContext): Promise<SocietyView> {
    const { findSociety } = await import('../core/index.js');
    return findSociety(core, this.globals().society);
  }

  /** `--as`, KOSMO_STAFF, else the OS user: recorded as the actor of every change. */
  actor(): Actor {
    let os = 'staff';
    try {
      os = userInfo().username;
    } catch {
      // no passwd entry (containers): keep the default
    }
    return { type: 'staff', name: (this.globals().as ?? process.env.KOSMO_STAFF ?? os).slice(0, 100) };
  }

  t(key: string, vars: Record<string, unknown> = {}): string {
    return t(this.lang, key, vars);
  }

  /** Prints the result: the object as JSON with --json, else the human text. */
  out(result: unknown, human: () => string): void {
    if (this.globals().json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else {
      const text = human();
      if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    }
  }

  async close(): Promise<void> {
    const core = this.core;
    this.core = null;
    if (core) await (await import('../core/index.js')).closeCore(core);
  }

  /** Reports a failure (one clear line, or {"error":…} with --json) and sets the exit code. */
  fail(err: unknown): void {
    let code: ErrorCode | 'UNEXPECTED' = 'UNEXPECTED';
    let message = t(this.lang, 'error.unexpected');
    let exit: number = EXIT.unexpected;
    if (err instanceof KosmoError) {
      code = err.code;
      const fallback = err instanceof KosmoValidationError ? err.messages.join(' ') : err.message;
      const details = { ...err.details };
      // Staff typed flags: name the flag as they typed it (`--birth-date`).
      if (typeof details.field === 'string' && !details.field.startsWith('-')) details.field = `--${details.field}`;
      message = errorText(this.lang, err.code, details, fallback);
      exit = exitCodeFor(err.kind);
    } else if (process.env.KOSMO_DEBUG) {
      process.stderr.write(String((err as Error)?.stack ?? err) + '\n');
    } else {
      message += ' ' + t(this.lang, 'error.debugHint', { name: (err as Error)?.name ?? 'Error' });
    }
    if (this.globals().json) process.stdout.write(JSON.stringify({ error: { code, message } }) + '\n');
    else process.stderr.write(`kosmo: ${t(this.lang, 'error.prefix')}: ${message}\n`);
    process.exitCode = exit;
  }

  /** Wraps a command action: runs it, reports failures, always closes the database. */
  action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      try {
        await fn(...args);
      } catch (err) {
        this.fail(err);
      } finally {
        await this.close().catch(() => undefined);
      }
    };
  }
}
