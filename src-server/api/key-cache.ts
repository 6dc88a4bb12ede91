import type { ServerDb } from '../db/open';

// Keys checked a moment ago (auth.ts), kept only where one process owns the
// database: PGlite in its data folder, locked by the server (operator.ts), so
// every write that can change a key's answer passes through this process and
// tells this module. On PostgreSQL several server processes may share the
// database (the stateless rule), so nothing is kept and every request asks.
//
// What can change a key's answer is a change appended to its business's log
// (a push from a PC, a server-made change: a revocation, a deleted key, the
// projection falling behind) or the business's suspension. Each bumps the
// business's generation; an entry is good while the generation it was read at
// stands, and for a few seconds at most (a backstop, not the rule).

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  businessId: string;
  generation: number;
  at: number;
}

const generations = new Map<string, number>();
/** Changes told so far, all businesses together. */
let told = 0;
/** Per database this process owns, its kept keys by hash (a test process may run several servers). */
const owned = new WeakMap<ServerDb, Map<string, Entry<unknown>>>();

/** Says that this process alone writes to `db` (PGlite in a locked folder). */
export function ownsDatabase(db: ServerDb): void {
  if (!owned.has(db)) owned.set(db, new Map());
}

/** Whether key checks may be kept for `db`. */
export function cachesKeys(db: ServerDb): boolean {
  return owned.has(db);
}

/** Something that may change a key's answer happened in the business (call after it commits). */
export function businessChanged(businessId: string): void {
  generations.set(businessId, (generations.get(businessId) ?? 0) + 1);
  told += 1;
}

/** How many changes were told so far: unchanged across a key's lookup means none happened meanwhile. */
export const changesSoFar = () => told;

export function cachedKey<T>(db: ServerDb, hash: string, now: number): T | undefined {
  const entries = owned.get(db);
  const e = entries?.get(hash);
  if (!e) return undefined;
  if (now - e.at > TTL_MS || (generations.get(e.businessId) ?? 0) !== e.generation) {
    entries!.delete(hash);
    return undefined;
  }
  return e.value as T;
}

/** Keeps a key's answer, read when the business was at `generation`. */
export function keepKey<T>(db: ServerDb, hash: string, businessId: string, generation: number, value: T, now: number): void {
  const entries = owned.get(db);
  if (!entries) return;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(hash, { value, businessId, generation, at: now });
}

export const generationOf = (businessId: string) => generations.get(businessId) ?? 0;
