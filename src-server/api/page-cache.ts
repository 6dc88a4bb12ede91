import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { LRUCache } from 'lru-cache';
import { literal } from '../licenses/lookup';
import { pgliteOf, type PgliteClient, type ServerDb } from '../db/open';
import { perHandle, SharedStatement, writeSnapshotOf } from '../db/shared-statement';
import { rowsOf } from './rows';

// Pages of GET /v1/customers kept as the JSON text they were sent as (per
// server process and database handle; ARCHITECTURE.md, "The REST API"), by
// business and query (limit, starting_after, search), with the projection's
// cursor they were read at, in the same statement as the page.
//
// Exact: a page is a function of the business's rows in the projection, and
// those change only in a fold, whose transaction moves the cursor (only
// projection/catch-up.ts writes synced_rows, in the transaction that moves
// projection_cursors). A kept page is sent only after a statement started
// after the request arrived has read the same cursor, whichever process
// folded; the requests waiting for one share it (a request joins the next
// statement to start, never the one running). So an answer from here is the
// answer the route would have read at that moment, and a walk with
// starting_after while rows are added sees each row once, as without it.
//
// PGlite (one backend, this process alone): a page last known to hold at the
// write snapshot read now (db/shared-statement.ts writeSnapshotOf) is sent
// without reading the cursor: nothing at all was written in between.

export const MAX_PAGES = 2_000;
/** Pages over this are not kept. */
const MAX_PAGE_BYTES = 256 * 1024;
/** All kept pages together (their text's length): the least recently used go first past it. */
export const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

interface Page {
  cursor: number;
  text: string;
  /** PGlite: the write snapshot at which the page was last known to hold (read before the statement that showed it); null on PostgreSQL. */
  snapshot: string | null;
}

const CURSORS = (ids: SQL) => sql`select business_id, seq from projection_cursors where business_id in (select jsonb_array_elements_text(${ids}::jsonb))`;
const CURSORS_NAME = 'recurra_page_cursors';
const prepared = new WeakMap<PgliteClient, Promise<unknown>>();

/**
 * The cursors of these businesses: on PGlite a statement prepared once per
 * handle (planning it each time cost about 4 ms of PGlite's one thread per
 * check, running it well under one); on PostgreSQL planned each time, which
 * for this one probe costs next to nothing.
 */
async function cursorsNow(db: ServerDb, ids: string[]): Promise<unknown> {
  const client = pgliteOf(db);
  if (!client) return db.execute(CURSORS(sql`${JSON.stringify(ids)}`));
  const prepare = () => {
    let ready = prepared.get(client);
    if (!ready) {
      ready = client.exec(`prepare ${CURSORS_NAME} (text) as ${new PgDialect().sqlToQuery(CURSORS(sql.raw('$1'))).sql}`);
      ready.catch(() => prepared.delete(client));
      prepared.set(client, ready);
    }
    return ready;
  };
  const text = `execute ${CURSORS_NAME}(${literal(JSON.stringify(ids))})`;
  await prepare();
  try {
    return await client.query(text);
  } catch (error) {
    // 26000: the session lost its prepared statements (a DEALLOCATE ALL): prepared again, once.
    if ((error as { code?: string }).code !== '26000') throw error;
    prepared.delete(client);
    await prepare();
    return client.query(text);
  }
}

export class PageCache {
  /**
   * By business and query, least recently used out first past MAX_PAGES or MAX_TOTAL_BYTES (lru-cache: a Map in use
   * order, its oldest key found past the holes its deletions left at the front, took up to 130 µs a request once full).
   */
  private readonly pages: LRUCache<string, Page>;
  /** The businesses' cursors, the requests waiting sharing one statement. */
  private readonly cursors: SharedStatement<string, number>;
  /** Pages read (tests). */
  reads = 0;

  constructor(
    private readonly db: ServerDb,
    max = MAX_PAGES,
    maxBytes = MAX_TOTAL_BYTES,
  ) {
    this.pages = new LRUCache({ max, maxSize: maxBytes, sizeCalculation: (page) => Math.max(1, page.text.length) });
    this.cursors = new SharedStatement(async (businessIds) => {
      const rows = rowsOf<{ business_id: string; seq: string | number }>(await cursorsNow(this.db, [...new Set(businessIds)]));
      const cursors = new Map(rows.map((r) => [r.business_id, Number(r.seq)]));
      return businessIds.map((id) => cursors.get(id) ?? 0);
    });
  }

  /** Statements run to check cursors (tests). */
  get checks(): number {
    return this.cursors.runs;
  }

  /** The page's JSON text: kept when the business's cursor is still the one it was read at, else read by `read` (which returns the cursor it read in the same snapshot). */
  async get(businessId: string, query: string, read: () => Promise<{ cursor: number; body: unknown }>): Promise<string> {
    const id = `${businessId}\n${query}`;
    const kept = this.pages.get(id);
    // PGlite: nothing written since the kept page last held (null on PostgreSQL, which always reads the cursor).
    const snapshot = (await writeSnapshotOf(this.db)?.ask(null)) ?? null;
    if (kept) {
      if ((snapshot !== null && kept.snapshot === snapshot) || (await this.cursorNow(businessId)) === kept.cursor) {
        kept.snapshot = snapshot;
        return kept.text;
      }
      this.pages.delete(id);
    }
    this.reads += 1;
    const page = await read();
    const text = JSON.stringify(page.body);
    if (text.length <= MAX_PAGE_BYTES) this.pages.set(id, { cursor: page.cursor, text, snapshot });
    return text;
  }

  clear(): void {
    this.pages.clear();
  }

  /** Pages kept and the length of their text (tests). */
  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.pages.calculatedSize };
  }

  /** The business's projection cursor, by the next statement to start. */
  private cursorNow(businessId: string): Promise<number> {
    return this.cursors.ask(businessId);
  }
}

export const pageCacheOf = perHandle((db) => new PageCache(db));
