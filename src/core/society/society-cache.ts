import type { MikroORM } from '@mikro-orm/core';
import { Society } from '../db/entities/index.js';
import type { SocietyView } from './society-view.js';
import type { Database } from '../db/orm.js';
import { asDate } from '../db/store/store.js';
import { watchCommittedWrites } from '../db/watch-commits.js';
import type { SocietySettings } from './settings.js';

/**
 * How old the portal's copy of the societies may get before a request reads them again. A change
 * made by another process (`kosmo society set`) is therefore seen by a running portal within this
 * time (issue 10: within 5 s); a change made in this process is seen at once (see `invalidate`).
 */
export const SOCIETY_CACHE_MAX_AGE_MS = 4_000;

interface Snapshot {
  all: readonly SocietyView[];
  /** Host name (lower case) → society. */
  byHost: ReadonlyMap<string, SocietyView>;
}

export interface SocietyCacheOptions {
  maxAgeMs?: number;
  /** Monotonic milliseconds (default `performance.now`); tests pass their own. */
  now?: () => number;
}

/**
 * The societies as the portal's per-request hot path needs them (the society of a request by its
 * Host header): one prepared statement of the core's store, then served from memory for
 * `maxAgeMs`. Rows are plain, deeply frozen objects shared by all requests, not MikroORM entities:
 * read them, never persist them through an EntityManager.
 *
 * A refresh is awaited by the request that finds the copy too old (and shared by every request
 * arriving meanwhile), so no request ever answers from a copy older than `maxAgeMs` plus one query.
 */
export class SocietyCache {
  private snapshot: Snapshot | null = null;
  private loadedAt = -Infinity;
  private generation = 0;
  private loading: Promise<Snapshot> | null = null;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Pick<Database, 'store'>,
    options: SocietyCacheOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? SOCIETY_CACHE_MAX_AGE_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** Every society, by id. */
  async all(): Promise<readonly SocietyView[]> {
    return (await this.current()).all;
  }

  /** The society listing this host name (port ignored), else the only society; null otherwise. */
  async forHost(host: string): Promise<SocietyView | null> {
    const s = await this.current();
    const name = host.toLowerCase().replace(/:\d+$/, '');
    return s.byHost.get(name) ?? (s.all.length === 1 ? s.all[0]! : null);
  }

  /** The next request reads the societies again (a change was committed in this process). */
  invalidate(): void {
    this.generation++;
    this.loadedAt = -Infinity;
  }

  private current(): Promise<Snapshot> | Snapshot {
    if (this.snapshot && this.now() - this.loadedAt < this.maxAgeMs) return this.snapshot;
    return (this.loading ??= this.load().finally(() => (this.loading = null)));
  }

  private async load(): Promise<Snapshot> {
    const generation = this.generation;
    const startedAt = this.now();
    const rows = await this.db.store.all<Record<string, unknown>>(`SELECT id, code, name, portal_title, settings, created_at, updated_at FROM society ORDER BY id`);
    const all = rows.map(toSociety);
    const byHost = new Map<string, SocietyView>();
    for (const s of all) for (const h of s.settings.hostNames ?? []) if (!byHost.has(h.toLowerCase())) byHost.set(h.toLowerCase(), s);
    const snapshot: Snapshot = { all, byHost };
    // A change committed while this read ran may be missing from it: keep it only as a stale copy.
    if (generation === this.generation) {
      this.snapshot = snapshot;
      this.loadedAt = startedAt;
    }
    return snapshot;
  }
}

function toSociety(r: Record<string, unknown>): SocietyView {
  const settings = (typeof r.settings === 'string' ? JSON.parse(r.settings) : r.settings) as SocietySettings;
  const row = {
    id: Number(r.id),
    code: r.code as string,
    name: r.name as string,
    portalTitle: r.portal_title as string,
    settings,
    createdAt: asDate(r.created_at)!,
    updatedAt: asDate(r.updated_at)!,
  };
  return deepFreeze(row);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date) && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const caches = new WeakMap<Database, SocietyCache>();

/**
 * The cache of this database (one per open database, created on first use). It is told about every
 * society change this process commits through MikroORM, so staff actions in the same process (and
 * tests) take effect on the next request; other processes' changes after at most `maxAgeMs`.
 */
export function societyCache(db: Database): SocietyCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new SocietyCache(db);
    caches.set(db, cache);
    watchSocietyChanges(db.orm, cache);
  }
  return cache;
}

function watchSocietyChanges(orm: MikroORM, cache: SocietyCache): void {
  watchCommittedWrites(
    orm,
    (entity) => entity instanceof Society.class,
    () => cache.invalidate(),
  );
}
