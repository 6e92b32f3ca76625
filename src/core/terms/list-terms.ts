import { TermsAcceptance, TermsVersion } from '../db/entities/index.js';
import type { CoreContext } from '../context.js';
import { currentTerms } from './current-terms.js';

export interface TermsSummary {
  version: number;
  title: string;
  publishedAt: string;
  publishedBy: string;
  acceptedBy: number;
}

export async function listTerms(core: CoreContext, societyId: number): Promise<TermsSummary[]> {
  const em = core.db.em();
  const versions = await em.find(TermsVersion, { society: societyId }, { orderBy: { version: 'desc' } });
  const out: TermsSummary[] = [];
  for (const v of versions) {
    out.push({
      version: v.version,
      title: v.title,
      publishedAt: v.publishedAt.toISOString(),
      publishedBy: v.publishedBy,
      acceptedBy: await em.count(TermsAcceptance, { termsVersion: v.id }),
    });
  }
  return out;
}

/** Members (not disabled) who have not accepted the current version, with the total count. */
export async function membersPendingTerms(core: CoreContext, societyId: number, limit = 100) {
  const em = core.db.em();
  const current = await currentTerms(em, societyId);
  if (!current) return { version: null, total: 0, members: [] as { userId: string; name: string; kana: string }[] };
  const from = 'from member m where m.society_id = ? and m.status <> ? and not exists ' + '(select 1 from terms_acceptance a where a.member_id = m.id and a.terms_version_id = ?)';
  const params = [societyId, 'disabled', current.id];
  const conn = em.getConnection();
  const [{ n }] = (await conn.execute(`select count(*) as n ${from}`, params)) as [{ n: number | string }];
  const rows = (await conn.execute(`select m.user_id, m.name, m.kana ${from} order by m.id limit ?`, [...params, limit])) as {
    user_id: string;
    name: string;
    kana: string;
  }[];
  return { version: current.version, total: Number(n), members: rows.map((r) => ({ userId: r.user_id, name: r.name, kana: r.kana })) };
}
