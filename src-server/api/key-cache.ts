import type { ServerDb } from '../db/open';

// Keys checked a moment ago (auth.ts), so a busy key costs no query of its
// own: a request's one round trip is its read.
//
// What can change a key's answer is a change appended to its business's log
// (a push from a PC, a server-made change: a revocation, a deleted key, the
// projection falling behind) or the business's suspension. Each bumps the
// business's generation in the process that made it; an entry is good while
// the generation it was read at stands, and for TTL at most.
//
// - PGlite in its data folder, locked by the server (operator.ts): this
//   process alone writes, so every such change passes through it and tells
//   this module; the TTL (5 s) is a backstop, not the rule.
// - PostgreSQL: several server processes may share the database. A change
//   made through this process is seen at once as above; one made through
//   another process (a PC that pushed its revocation there, a suspension on
//   its /admin) is seen here within SHARED_TTL_MS (1 s), and so are the reads
//   of what that push brought (this process folds on its next check; the
//   other folds 300 ms after the push).

export const OWNED_TTL_MS = 5_000;
export const SHARED_TTL_MS = 1_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  businessId: string;
  generation: number;
  at: number;
}

interface Cache {
  ttlMs: number;
  entries: Map<string, Entry<unknown>>;
}

const generations = new Map<string, number>();
/** Changes told so far, all businesses together. */
let told = 0;
/** Per database, its kept keys by hash (a test process may run several servers). */
const caches = new WeakMap<ServerDb, Cache>();

/** Says that this process alone writes to `db` (PGlite in a locked folder): keys are kept up to OWNED_TTL_MS. */
export function ownsDatabase(db: ServerDb): void {
  if (!caches.has(db)) caches.set(db, { ttlMs: OWNED_TTL_MS, entries: new Map() });
}

/** Says that other server processes may write to `db` (PostgreSQL): keys are kept up to SHARED_TTL_MS. */
export function sharesDatabase(db: ServerDb): void {
  if (!caches.has(db)) caches.set(db, { ttlMs: SHARED_TTL_MS, entries: new Map() });
}

/** Whether key checks may be kept for `db`. */
export function cachesKeys(db: ServerDb): boolean {
  return caches.has(db);
}

/** Something that may change a key's answer happened in the business (call after it commits). */
export function businessChanged(businessId: string): void {
  generations.set(businessId, (generations.get(businessId) ?? 0) + 1);
  told += 1;
}

/** How many changes were told so far: unchanged across a key's lookup means none happened meanwhile. */
export const changesSoFar = () => told;

export function cachedKey<T>(db: ServerDb, hash: string, now: number): T | undefined {
  const cache = caches.get(db);
  const e = cache?.entries.get(hash);
  if (!e) return undefined;
  if (now - e.at > cache!.ttlMs || (generations.get(e.businessId) ?? 0) !== e.generation) {
    cache!.entries.delete(hash);
    return undefined;
  }
  return e.value as T;
}

/** Keeps a key's answer, read when the business was at `generation`. */
export function keepKey<T>(db: ServerDb, hash: string, businessId: string, generation: number, value: T, now: number): void {
  const entries = caches.get(db)?.entries;
  if (!entries) return;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(hash, { value, businessId, generation, at: now });
}

export const generationOf = (businessId: string) => generations.get(businessId) ?? 0;
