import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run lint:api` (scripts/check-public-api.mjs) bites: over a small throwaway project laid out
 * like this one, it names each export that hands out a data-layer type — as an answer, a
 * parameter, or a field deep inside one — and lets plain views and status names through; over
 * this project it passes.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'check-public-api.mjs');

const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: [] }, include: ['src'] }),
  'src/core/db/member.entity.ts': "export interface MemberRow { id: number; userId: string; passwordHash: string }\nexport type MemberStatus = 'active' | 'disabled';",
  'src/core/context.ts': "import type { MemberRow } from './db/member.entity.js';\nexport interface CoreContext { db: { find(id: number): MemberRow } }",
  'src/core/member-card.ts': "import type { MemberStatus } from './db/member.entity.js';\nexport interface MemberCard { id: number; userId: string; status: MemberStatus }",
  'src/core/index.ts': [
    "import type { CoreContext } from './context.js';",
    "import type { MemberRow } from './db/member.entity.js';",
    "import type { MemberCard } from './member-card.js';",
    'export type { MemberCard };',
    "export type { MemberStatus } from './db/member.entity.js';",
    'export async function showCard(core: CoreContext, id: number): Promise<MemberCard> {',
    "  return { id, userId: core.db.find(id).userId, status: 'active' };",
    '}',
    'export async function leakyAnswer(core: CoreContext, id: number): Promise<MemberRow> {',
    '  return core.db.find(id);',
    '}',
    'export function leakyParameter(member: MemberRow): string {',
    '  return member.userId;',
    '}',
    'export interface Page {',
    '  items: { rows: MemberRow[] }[];',
    '}',
  ].join('\n'),
};

function check(dir: string) {
  return spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
}

describe('the public API check', () => {
  it('names every export that hands out a data-layer type, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kosmo-api-'));
    try {
      for (const [file, text] of Object.entries(FILES)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      const r = check(dir);
      expect(r.status).toBe(1);
      const flagged = r.stderr
        .split('\n')
        .filter((l) => l.startsWith('  '))
        .map((l) => l.trim().split(':')[0]);
      expect(flagged.sort()).toEqual(['Page.items<>.rows<>', 'leakyAnswer → answer<>', 'leakyParameter(member)']);
      expect(r.stderr).toContain('src/core/db/member.entity.ts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("passes on this project's core", () => {
    const r = check(ROOT);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no entity, row or ORM type/);
  }, 120_000);
});
