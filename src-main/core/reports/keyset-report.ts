import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { BATCH, columnsOf, type Field, type Report, type ReportRow, type Row } from './report';

type Params = Record<string, string | number | null>;

/** A report that is one SQL query over a big table, in the order of an index. */
export interface KeysetSpec {
  fields: readonly Field[];
  /** Values the query adds after the fields for its own use (the paging key); the row's tail. */
  helpers: readonly string[];
  /**
   * `SELECT ${select} FROM ... WHERE <range> AND <key> > <@after...> ORDER BY <key> LIMIT @limit OFFSET @offset`:
   * the rows in report order after a key given as named parameters (a row
   * value over the ORDER BY columns, like `(i.issue_date, i.rowid) > (@afterDate, @afterRowid)`).
   * The query names its index (INDEXED BY) and drives its joins from it
   * (CROSS JOIN keeps the order): with the planner's statistics of a large
   * file, SQLite once chose to scan customers and sort a million payments for every page.
   */
  pageSql(select: string): string;
  countSql: string;
  /** One row of sums named by column keys, or none. */
  totalsSql?: string;
  /** The range and anything else the queries take. */
  params: Params;
  /** A key that sorts before every row. */
  start: Params;
  /** The key of a row (read from its fields and helpers). */
  keyOf(row: Row): Params;
  /** Finishing touches on a fetched page (lookups per page, dates in the business's zone). */
  finish?(rows: Row[]): Row[];
}

/**
 * The table pages with OFFSET from the first key (it asks for a window); the
 * export walks the key: each batch is `(key) > (last key of the previous batch)`
 * on the index, so a million rows cost a million index steps, not a quadratic
 * OFFSET scan, and only one batch is in memory at a time.
 */
export function keysetReport(db: BusinessDb, spec: KeysetSpec): Report {
  const sql = spec.pageSql([...spec.fields.map((f) => f.sql), ...spec.helpers].join(', '));
  const fetch = (after: Params, limit: number, offset: number) => {
    const rows = stmt(db.sqlite, sql).raw(true).all({ ...spec.params, ...after, limit, offset }) as Row[];
    return spec.finish ? spec.finish(rows) : rows;
  };
  return {
    columns: columnsOf(spec.fields),
    page: (offset, limit) => fetch(spec.start, limit, offset),
    *batches() {
      for (let after = spec.start; ; ) {
        const rows = fetch(after, BATCH, 0);
        if (rows.length > 0) yield rows;
        if (rows.length < BATCH) return;
        after = spec.keyOf(rows[rows.length - 1]!);
      }
    },
    count: () => stmt(db.sqlite, spec.countSql).pluck().get(spec.params) as number,
    totals: () => (spec.totalsSql ? (stmt(db.sqlite, spec.totalsSql).get(spec.params) as ReportRow) : null),
  };
}

/** Bounds for BETWEEN when the range is open at one end: dates sort as text. */
export function dateBounds(from: string | null, to: string | null): { from: string; to: string } {
  return { from: from ?? '0000-01-01', to: to ?? '9999-12-31' };
}
