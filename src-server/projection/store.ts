import { sql } from 'drizzle-orm';
import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import type { ServerDb } from '../db/open';
import { refsOf, uniqueValueOf, type ProjectionReader, type Row, type RowState } from './fold';

// The projection's rows in PostgreSQL (synced_rows): read for the fold, written back after it.
// Every query takes one JSON parameter, not one per value (PGlite parses long parameter lists slowly).

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** A PostgreSQL array literal of texts, one parameter (PGlite parses long parameter lists slowly). */
export const textArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/[\\"]/g, (m) => `\\${m}`)}"`).join(',')}}`;

interface DbRow {
  tbl: string;
  row_id: string;
  data: Row | null;
  stamps: Record<string, string>;
  latest: Row;
  created_hlc: string;
  recreated_hlc: string;
  deleted_hlc: string;
  delete_base: Row | null;
}

const COLUMNS = sql.raw('tbl, row_id, data, stamps, latest, created_hlc, recreated_hlc, deleted_hlc, delete_base');

const toState = (r: DbRow): RowState => ({
  tbl: r.tbl,
  rowId: r.row_id,
  data: r.data,
  stamps: r.stamps,
  latest: r.latest,
  createdHlc: r.created_hlc,
  recreatedHlc: r.recreated_hlc,
  deletedHlc: r.deleted_hlc,
  deleteBase: r.delete_base,
});

/** Reads one business's rows, inside the caller's transaction. */
export class PgProjectionReader implements ProjectionReader {
  constructor(
    private readonly db: ServerDb,
    private readonly businessId: string,
  ) {}

  async load(keys: { tbl: string; rowId: string }[]): Promise<RowState[]> {
    if (keys.length === 0) return [];
    // One lookup per table by the primary key (business, tbl, row_id = any(...)), whatever the planner knows of the table.
    const byTable = new Map<string, string[]>();
    for (const k of keys) (byTable.get(k.tbl) ?? byTable.set(k.tbl, []).get(k.tbl)!).push(k.rowId);
    const out: RowState[] = [];
    for (const [tbl, ids] of byTable) {
      const result = await this.db.execute(sql`
        select ${COLUMNS} from synced_rows where business_id = ${this.businessId} and tbl = ${tbl} and row_id = any(${textArray(ids)}::text[])`);
      out.push(...rowsOf<DbRow>(result).map(toState));
    }
    return out;
  }

  async byRefs(tbl: string, refs: string[]): Promise<RowState[]> {
    if (refs.length === 0) return [];
    // Through the refs GIN index only: business_id and tbl are compared as
    // expressions so the planner cannot walk the primary key's (business, tbl)
    // range instead, which it does while the table's statistics predate this
    // business's rows (a first fold: every lookup then reads all the
    // business's rows of the table, and the fold slows down as it grows).
    // The fold's transaction turns sequential scans off (catch-up.ts).
    const result = await this.db.execute(sql`
      select ${COLUMNS} from synced_rows
      where refs && ${textArray(refs)}::text[] and business_id || '' = ${this.businessId} and tbl || '' = ${tbl}`);
    return rowsOf<DbRow>(result).map(toState);
  }

  async byUnique(tbl: string, values: string[]): Promise<RowState[]> {
    if (values.length === 0) return [];
    const result = await this.db.execute(sql`
      select ${COLUMNS} from synced_rows
      where business_id = ${this.businessId} and tbl = ${tbl}
        and unique_value = any(${textArray(values)}::text[])`);
    return rowsOf<DbRow>(result).map(toState);
  }

  async suffixed(tbl: string): Promise<RowState[]> {
    const result = await this.db.execute(sql`
      select ${COLUMNS} from synced_rows where business_id = ${this.businessId} and tbl = ${tbl} and strpos(unique_value, '~') > 0`);
    return rowsOf<DbRow>(result).map(toState);
  }
}

/** Shallow equality of two rows of column values (strings, numbers, null). */
function sameRow(a: Row | null, b: Row): boolean {
  if (!a) return false;
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  for (const k of keys) if (!(k in a) || a[k] !== b[k]) return false;
  return true;
}

/** The one HLC every column's stamp holds, when they all hold the same one and name exactly the latest values' columns (a row made by one insert). */
function oneStamp(stamps: Record<string, string>, latest: Row): string | null {
  let only: string | null = null;
  let n = 0;
  for (const k in stamps) {
    const v = stamps[k]!;
    if (only === null) only = v;
    else if (v !== only) return null;
    if (!(k in latest)) return null;
    n += 1;
  }
  return n > 0 && n === Object.keys(latest).length ? only : null;
}

/**
 * Writes the fold's rows back (insert or replace), a few thousand per
 * statement, as one JSON parameter. Most rows were made by one insert: their
 * latest values are their data and every stamp is one HLC, so those go as
 * null and the HLC, and the statement rebuilds them (the JSON to send and
 * parse is about a third of the full form).
 */
export async function writeRows(db: ServerDb, businessId: string, rows: RowState[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const part = rows.slice(i, i + 2000).map((s) => {
      const t = SYNC_TABLE_MAP[s.tbl]!;
      const h = oneStamp(s.stamps, s.latest);
      return {
        t: s.tbl,
        r: s.rowId,
        d: s.data,
        s: h === null ? s.stamps : null,
        h,
        l: sameRow(s.data, s.latest) ? null : s.latest,
        c: s.createdHlc,
        rc: s.recreatedHlc,
        dl: s.deletedHlc,
        b: s.deleteBase,
        u: uniqueValueOf(t, s),
        f: refsOf(t, s),
      };
    });
    await db.execute(sql`
      insert into synced_rows (business_id, tbl, row_id, data, stamps, latest, created_hlc, recreated_hlc, deleted_hlc, delete_base, unique_value, refs)
      select ${businessId}, x.t, x.r, x.d,
        coalesce(x.s, (select jsonb_object_agg(k, x.h) from jsonb_object_keys(coalesce(x.l, x.d)) k)),
        coalesce(x.l, x.d), x.c, x.rc, x.dl, x.b, x.u, x.f
      from jsonb_to_recordset(${JSON.stringify(part)}::jsonb)
        as x(t text, r text, d jsonb, s jsonb, h text, l jsonb, c text, rc text, dl text, b jsonb, u text, f text[])
      on conflict (business_id, tbl, row_id) do update set
        data = excluded.data, stamps = excluded.stamps, latest = excluded.latest, created_hlc = excluded.created_hlc,
        recreated_hlc = excluded.recreated_hlc, deleted_hlc = excluded.deleted_hlc, delete_base = excluded.delete_base,
        unique_value = excluded.unique_value, refs = excluded.refs`);
  }
}
