import { Member } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { generateProvisionalUserId } from '../accounts/provisional-credentials.js';

const CHUNK = 500;

/** `n` provisional user IDs, distinct from each other and from every user ID in the society. */
export async function assignUserIds(core: CoreContext, societyId: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  const seen = new Set<string>();
  while (ids.length < n) {
    const candidates: string[] = [];
    while (candidates.length < Math.min(CHUNK, n - ids.length)) {
      const id = generateProvisionalUserId(core.random);
      if (!seen.has(id)) {
        seen.add(id);
        candidates.push(id);
      }
    }
    const taken = new Set((await core.db.em().find(Member, { society: societyId, userId: { $in: candidates } }, { fields: ['userId'] })).map((m) => m.userId));
    ids.push(...candidates.filter((id) => !taken.has(id)));
  }
  return ids;
}

export async function freshUserId(core: CoreContext, societyId: number): Promise<string> {
  return (await assignUserIds(core, societyId, 1))[0]!;
}
