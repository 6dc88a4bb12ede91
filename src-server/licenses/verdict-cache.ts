import { LRUCache } from 'lru-cache';
import type { ServerDb } from '../db/open';
import { perHandle, SharedStatement, writeSnapshotOf } from '../db/shared-statement';
import { readLicense, runStamps, sha256, type License, type LicenseStamp } from './lookup';

// The license verdict cache (POST /v1/licenses/validate; ARCHITECTURE.md,
// "License keys"): per server process and database handle, what the lookup
// (lookup.ts) read of a key, kept by the key's SHA-256 (and the `business`
// the request named), known and unknown keys alike, at most MAX_KEPT of each
// kind, least recently used first out.
//
// Exact, across processes: an answer is given from here only after one
// statement, started after the request arrived, has found its stamp
// unchanged: for each business it was read from, the log's last seq (every
// push, every server-made change: activations, deactivations, write-backs),
// the projection's cursor (every fold), the suspension and the signing key;
// for the key, the live subscriptions holding it and the changes ever pushed
// carrying it (a key that appears in another business, or is pushed and not
// folded yet). The lookup read the same stamp in the same snapshot as the
// rest of its answer, so an unchanged stamp is an unchanged answer, whichever
// process took the push. The requests waiting for a check share one
// statement: a request joins the next one to start, never one already
// running, so the snapshot is always younger than the request.
//
// Time: the cache keeps the license's rows, not its verdict; each request
// works the verdict out from them and its own clock (today in the business's
// time zone against license_expires_on, which the PC moves with the trial
// end, the dunning days, a cancellation), so a verdict flips at the first
// request after midnight in the business's zone, as without the cache.
//
// PGlite (one backend, this process alone): before any of that, one shared
// statement reads the write snapshot (db/shared-statement.ts writeSnapshotOf);
// an answer last known to hold at the same snapshot is given at once, since
// nothing at all was written in between. Only after a write (anywhere) does a
// kept answer take the stamp check, which then marks it with the new snapshot.

/** Of each kind (known, unknown): a kept license with two machines is about 1.2 KB of heap (measured), so 20,000 are about 24 MB. */
export const MAX_KEPT = 20_000;

interface Entry {
  license: License | null;
  stamp: LicenseStamp;
  /** PGlite: the write snapshot at which this answer was last known to hold (read before the statement that showed it); null on PostgreSQL. */
  snapshot: string | null;
}

/** The stamp a request with nothing kept is checked against (never the same: no key has -1 rows). */
const NOTHING_KEPT: LicenseStamp = { businesses: [], keyRows: -1, keyChanges: -1 };

interface StampRow {
  businesses: [string, number | string, number | string, boolean, boolean][];
  keys: [string, number | string, number | string][];
}

/** The stamps of the businesses and keys asked, now: one prepared statement (lookup.ts runStamps), each part a primary-key or index probe. */
async function stampsNow(db: ServerDb, businessIds: string[], hashes: string[]): Promise<StampRow> {
  const result = (await runStamps(db, businessIds, hashes)) as { rows: StampRow[] };
  return result.rows[0] ?? { businesses: [], keys: [] };
}

export class VerdictCache {
  // lru-cache, not a Map in use order: a Map's first key, past the holes its deletions left at the front, took up to
  // 130 µs a request to find once a cache was full (the page cache, bench/api.ts's uncached walk).
  private readonly known: LRUCache<string, Entry>;
  private readonly unknown: LRUCache<string, Entry>;
  /** Whether each waiting request's stamp still holds, the requests sharing one statement. */
  private readonly stamps: SharedStatement<{ hash: string; stamp: LicenseStamp }, boolean>;
  /** Lookups run: answers not given from the cache (tests). */
  reads = 0;

  constructor(
    private readonly db: ServerDb,
    max = MAX_KEPT,
  ) {
    this.known = new LRUCache({ max });
    this.unknown = new LRUCache({ max });
    this.stamps = new SharedStatement(async (batch) => {
      const now = await stampsNow(
        this.db,
        [...new Set(batch.flatMap((w) => w.stamp.businesses.map((b) => b.id)))],
        [...new Set(batch.map((w) => w.hash))],
      );
      const businesses = new Map(now.businesses.map(([id, lastSeq, cursor, suspended, hasKey]) => [id, { lastSeq: Number(lastSeq), cursor: Number(cursor), suspended, hasKey }]));
      const keys = new Map(now.keys.map(([hex, rows, changes]) => [hex, { rows: Number(rows), changes: Number(changes) }]));
      return batch.map((w) => {
        const key = keys.get(w.hash);
        return (
          key !== undefined &&
          key.rows === w.stamp.keyRows &&
          key.changes === w.stamp.keyChanges &&
          w.stamp.businesses.every((b) => {
            const n = businesses.get(b.id);
            return n !== undefined && n.lastSeq === b.lastSeq && n.cursor === b.cursor && n.suspended === b.suspended && n.hasKey === b.hasSigningKey;
          })
        );
      });
    });
  }

  /** Statements run to check stamps (tests: the checks are shared). */
  get checks(): number {
    return this.stamps.runs;
  }

  /**
   * The license of `key` (null: unknown or ambiguous), as readLicense gives
   * it now: from the cache when its stamp still holds, else read and kept.
   */
  async find(key: string, businessId: string | undefined): Promise<License | null> {
    const hash = sha256(key);
    const hex = hash.toString('hex');
    const id = businessId === undefined ? hex : `${hex} ${businessId}`;
    // Looked for in both, so a known and an unknown key take the same steps. Every request waits for one check, kept
    // answer or not (none: its key's part alone, the answer thrown away): a key asked before and since changed (a
    // customer's product, every day) must not take longer than one never asked (a guess).
    const kept = this.known.get(id) ?? this.unknown.get(id);
    // PGlite: nothing written since the kept answer last held (null on PostgreSQL, which always checks the stamp).
    const snapshot = await writeSnapshotOf(this.db)?.ask(null) ?? null;
    if (kept && snapshot !== null && kept.snapshot === snapshot) return kept.license;
    const same = await this.check(hex, kept?.stamp ?? NOTHING_KEPT);
    if (kept && same) {
      kept.snapshot = snapshot;
      return kept.license;
    }
    this.reads += 1;
    const read = await readLicense(this.db, hash, businessId);
    this.known.delete(id);
    this.unknown.delete(id);
    if (read.stamp) (read.license ? this.known : this.unknown).set(id, { license: read.license && Object.freeze(read.license), stamp: read.stamp, snapshot });
    return read.license;
  }

  /** Forgets everything kept (tests). */
  clear(): void {
    this.known.clear();
    this.unknown.clear();
  }

  get size(): { known: number; unknown: number } {
    return { known: this.known.size, unknown: this.unknown.size };
  }

  /** Whether the stamp still holds, by the next statement to start. */
  private check(hash: string, stamp: LicenseStamp): Promise<boolean> {
    return this.stamps.ask({ hash, stamp });
  }
}

/** Per database handle: a server process has one (tests run several servers, each its own handle). */
export const verdictCacheOf = perHandle((db) => new VerdictCache(db));
