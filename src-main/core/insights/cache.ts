import type Database from 'better-sqlite3';
import { stmt } from '../db/statements';

// Insights are computed from the whole book, so they are kept until the book changes.
// The key of "the book as it is": PRAGMA data_version moves when another connection
// commits (the billing worker, the CLI, a sync), and this connection's own
// total_changes() when it writes. A read moves neither. Inside a transaction nothing is
// kept or reused: what it sees may yet roll back.

interface Entry {
  version: string;
  value: unknown;
}

const caches = new WeakMap<Database.Database, Map<string, Entry>>();
/** Rows this connection wrote to its own TEMP tables (the risk scores): not the books, so not a change of them. */
const scratchChanges = new WeakMap<Database.Database, number>();

const totalChanges = (s: Database.Database) => stmt(s, 'SELECT total_changes()').pluck().get() as number;

/** The book's version on this connection: changes whenever anything was written, by anyone. */
export function bookVersion(s: Database.Database): string {
  return `${String(stmt(s, 'PRAGMA data_version').pluck().get())}:${totalChanges(s) - (scratchChanges.get(s) ?? 0)}`;
}

/** Runs `write`, which changes only this connection's TEMP tables, without moving the book's version. */
export function scratchWrite<T>(s: Database.Database, write: () => T): T {
  if (s.inTransaction) throw new Error('scratchWrite: not inside a transaction (a rollback would undo the rows but not the count)');
  const before = totalChanges(s);
  try {
    return write();
  } finally {
    scratchChanges.set(s, (scratchChanges.get(s) ?? 0) + totalChanges(s) - before);
  }
}

/** `compute()`, or what it returned for `key` the last time, if the books have not changed since. */
export function withInsightsCache<T>(s: Database.Database, key: string, compute: () => T): T {
  if (s.inTransaction) return compute();
  const version = bookVersion(s);
  let cache = caches.get(s);
  if (!cache) caches.set(s, (cache = new Map()));
  const hit = cache.get(key);
  if (hit?.version === version) return hit.value as T;
  const value = compute();
  // One version at a time: entries of an older book are dropped rather than left to pile up.
  for (const [k, e] of cache) if (e.version !== version) cache.delete(k);
  cache.set(key, { version, value });
  return value;
}

/** What this connection keeps now (the keys): how a test sees where an insight was computed. */
export function cachedKeys(s: Database.Database): string[] {
  return [...(caches.get(s)?.keys() ?? [])];
}

const inFlight = new WeakMap<Database.Database, Map<string, { version: string; promise: Promise<unknown> }>>();

/**
 * `compute()` run elsewhere (the insights worker), kept as `withInsightsCache` keeps a value: until the
 * books change. The version is read before the computation starts, and the answer is kept only if it
 * has not moved by the end: one computed while the books changed is returned, never reused. Callers asking for the same key and
 * version while it runs share the one computation; a failure is not kept.
 */
export async function withInsightsCacheAsync<T>(s: Database.Database, key: string, compute: () => Promise<T>): Promise<T> {
  if (s.inTransaction) return compute();
  const version = bookVersion(s);
  const hit = caches.get(s)?.get(key);
  if (hit?.version === version) return hit.value as T;
  let running = inFlight.get(s);
  if (!running) inFlight.set(s, (running = new Map()));
  const shared = running.get(key);
  if (shared?.version === version) return shared.promise as Promise<T>;
  const promise = compute();
  running.set(key, { version, promise });
  try {
    const value = await promise;
    // Kept only if the books are still as they were when it started (and the file still open).
    if (s.open && !s.inTransaction && bookVersion(s) === version) {
      let cache = caches.get(s);
      if (!cache) caches.set(s, (cache = new Map()));
      for (const [k, e] of cache) if (e.version !== version) cache.delete(k);
      cache.set(key, { version, value });
    }
    return value;
  } finally {
    if (running.get(key)?.promise === promise) running.delete(key);
  }
}
