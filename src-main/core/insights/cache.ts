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

/** The book's version on this connection: changes whenever anything was written, by anyone. */
export function bookVersion(s: Database.Database): string {
  return `${String(stmt(s, 'PRAGMA data_version').pluck().get())}:${String(stmt(s, 'SELECT total_changes()').pluck().get())}`;
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
