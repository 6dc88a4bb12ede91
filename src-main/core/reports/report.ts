import type { ReportColumn, ReportColumnType, ReportKind, ReportRow } from '@shared/contract/reports';
import type { BusinessDb } from '../db/open';

export type { ReportColumn, ReportRow };

export type Cell = string | number | null;
/**
 * A row as reports pass it around: the values in the order of the report's
 * columns, then any values of its own (paging keys). Arrays, not objects:
 * SQLite hands them over faster (raw mode), and a million of them go to a CSV.
 */
export type Row = Cell[];

/** What every report is given: its business, and the range once defaults are applied (null: open). */
export interface ReportContext {
  db: BusinessDb;
  kind: ReportKind;
  from: string | null;
  to: string | null;
  /** Today in the business's time zone: what "now" means for figures a range does not date. */
  today: string;
  timezone: string;
}

/**
 * One report, opened for a range. The table asks for pages; the CSV asks for
 * batches, each a whole query (keyset pages on indexed columns for the big
 * tables), so an export of any size holds one batch at a time and never keeps
 * a statement open while it waits for the file.
 */
export interface Report {
  readonly columns: readonly ReportColumn[];
  page(offset: number, limit: number): Row[];
  batches(): Iterable<Row[]>;
  count(): number;
  /** Sums over the whole report, keyed by column; null when nothing adds up. */
  totals(): ReportRow | null;
}

/** How many rows an export reads per query: big enough to amortize the query, small enough to stay flat. */
export const BATCH = 2000;

/** A column and the SQL expression that yields it ('NULL' when the report fills it in after the query). */
export interface Field extends ReportColumn {
  sql: string;
}

export const field = (key: string, label: string, type: ReportColumnType, sql = 'NULL'): Field => ({ key, label, type, sql });
export const column = (key: string, label: string, type: ReportColumnType): ReportColumn => ({ key, label, type });
export const columnsOf = (fields: readonly Field[]): ReportColumn[] => fields.map(({ key, label, type }) => ({ key, label, type }));

/** Where a column's value sits in a row. */
export function indexOf(columns: readonly ReportColumn[], key: string): number {
  const i = columns.findIndex((c) => c.key === key);
  if (i < 0) throw new Error(`No column ${key}`);
  return i;
}

/** An object keyed by column (a computed record) as a row. */
export const rowOf = (columns: readonly ReportColumn[], values: Record<string, Cell>): Row => columns.map((c) => values[c.key] ?? null);

/** A row as the table receives it: only the report's columns, by key. */
export const recordOf = (columns: readonly ReportColumn[], row: Row): ReportRow => Object.fromEntries(columns.map((c, i) => [c.key, row[i] ?? null]));

/** A report whose rows are computed in memory (months, movements): pages are slices, the export one batch per chunk. */
export function rowsReport(columns: readonly ReportColumn[], compute: () => Row[], totals: (rows: Row[]) => ReportRow | null): Report {
  let rows: Row[] | undefined;
  const all = () => (rows ??= compute());
  return {
    columns,
    page: (offset, limit) => all().slice(offset, offset + limit),
    *batches() {
      for (let i = 0; i < all().length; i += BATCH) yield all().slice(i, i + BATCH);
    },
    count: () => all().length,
    totals: () => totals(all()),
  };
}

/** Sums of the given columns over rows (empty cells count as nothing). */
export function sumColumns(columns: readonly ReportColumn[], rows: readonly Row[], keys: readonly string[]): ReportRow {
  const out: ReportRow = {};
  for (const key of keys) {
    const i = indexOf(columns, key);
    out[key] = rows.reduce<number>((sum, row) => sum + (typeof row[i] === 'number' ? row[i] : 0), 0);
  }
  return out;
}
