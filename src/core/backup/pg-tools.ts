import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawn } from 'node:child_process';
import { KosmoError } from '../errors.js';

/**
 * pg_dump and pg_restore come from PATH only. Their version must be at least the server's, so
 * KOSMO does not pick one from /usr/lib/postgresql/<version>/bin by itself: when one is there, the
 * error names the directory and staff put the right one on PATH (docs/operations.md).
 */
export function findTool(tool: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  const dirs = installedPostgresBins(tool);
  throw new KosmoError('TOOL_MISSING', dirs.length ? { tool, reason: 'FOUND_ELSEWHERE', dirs, dir: dirs[0] } : { tool });
}

/** Debian's server packages: /usr/lib/postgresql/<version>/bin, newest first. */
function installedPostgresBins(tool: string): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
    .filter((d) => existsSync(join(d, tool)));
}

/**
 * The connection for a libpq tool: the URL without its password (a command line is visible to
 * every user of the machine in `ps`), the password in PGPASSWORD.
 */
export function libpqTarget(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(databaseUrl);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { dbname: u.toString(), env };
}

/**
 * Runs a PostgreSQL tool; its own messages go to our stderr as they are. Non-zero exit:
 * TOOL_FAILED. With `capture`, returns its standard output.
 */
export function runTool(path: string, tool: string, args: string[], env: NodeJS.ProcessEnv, capture = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new KosmoError('TOOL_FAILED', { tool, status }))));
  });
}
