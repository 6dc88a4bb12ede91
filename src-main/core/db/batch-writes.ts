import type Database from 'better-sqlite3';
import { stmt } from './statements';

/**
 * Writes a billing batch holds back until the end of its transaction, then
 * makes table by table: every row of one table, then the next (the rows of a
 * table in the order they were written, inserts many rows per statement).
 *
 * Why: a step of the billing run writes to six tables whose indexes are keyed
 * by customer or subscription, so one step after another touches pages all
 * over a 400 MB file and a 64 MiB page cache keeps evicting, reading back and
 * rewriting the same pages. Table by table, each table's pages are hot while
 * its rows go in, as when raw SQLite inserts the same rows (the benchmark's
 * bound). Same transaction, so a crash or an error still loses the batch whole.
 *
 * Held rows are made when the batch ends, or sooner once `MAX_HELD` wait.
 * Only for writes nothing in the batch reads back: the caller keeps the rows
 * it needs in memory (see billing/engine.ts for which tables qualify). The
 * tables flush in the order they were first written to, so a parent table
 * written earlier is in place before its children.
 */
export class BatchWrites {
  private readonly tables = new Map<string, TableQueue>();
  private held = 0;

  constructor(private readonly db: Database.Database) {}

  /** A row for `table` (columns in the same order on every call for this table). */
  insert(table: string, columns: readonly string[], values: unknown[]): void {
    this.queue(table).ops.push({ kind: 'insert', columns, values });
    if (++this.held >= MAX_HELD) this.flush();
  }

  /** A statement on `table`, run after the rows and statements queued for that table before it. */
  run(table: string, sql: string, args: unknown[]): void {
    this.queue(table).ops.push({ kind: 'run', sql, args });
    if (++this.held >= MAX_HELD) this.flush();
  }

  get size(): number {
    return this.held;
  }

  /** Makes every held write, table by table; the queue is empty afterwards. */
  flush(): void {
    for (const [table, q] of this.tables) {
      let i = 0;
      while (i < q.ops.length) {
        const op = q.ops[i]!;
        if (op.kind === 'run') {
          stmt(this.db, op.sql).run(...op.args);
          i++;
          continue;
        }
        // A run of inserts with the same columns: many rows per statement (a shorter run one row
        // at a time, so each table has two prepared statements, not one per length).
        let j = i + 1;
        while (j < q.ops.length && j - i < ROWS_PER_INSERT) {
          const next = q.ops[j]!;
          if (next.kind !== 'insert' || next.columns !== op.columns) break;
          j++;
        }
        if (j - i < ROWS_PER_INSERT) j = i + 1;
        const rows = j - i;
        const args: unknown[] = [];
        for (let k = i; k < j; k++) {
          const values = (q.ops[k] as InsertOp).values;
          for (let c = 0; c < values.length; c++) args.push(values[c]);
        }
        stmt(this.db, insertSql(table, op.columns, rows)).run(args);
        i = j;
      }
    }
    this.tables.clear();
    this.held = 0;
  }

  private queue(table: string): TableQueue {
    let q = this.tables.get(table);
    if (!q) this.tables.set(table, (q = { ops: [] }));
    return q;
  }
}

/**
 * One row into `table`: held in `writes` when a billing batch passes them, made at once otherwise
 * (the same single-row statement a flush uses for a short run).
 */
export function insertRow(db: Database.Database, writes: BatchWrites | undefined, table: string, columns: readonly string[], values: unknown[]): void {
  if (writes) writes.insert(table, columns, values);
  else stmt(db, insertSql(table, columns, 1)).run(values);
}

/** Rows per INSERT: enough to spread the statement's cost, few enough to stay under SQLite's bound-parameter limit. */
const ROWS_PER_INSERT = 50;
/**
 * Writes held at most (then made, still inside the batch's transaction): rows held for a whole
 * two-second batch outlive V8's young generation and grew the worker's heap by 120 MB; a few
 * thousand at a time keep the memory flat and each table's turn long enough to stay in cache.
 */
const MAX_HELD = 2000;

interface InsertOp {
  kind: 'insert';
  columns: readonly string[];
  values: unknown[];
}
interface RunOp {
  kind: 'run';
  sql: string;
  args: unknown[];
}
interface TableQueue {
  ops: (InsertOp | RunOp)[];
}

/** INSERT texts by columns list (the callers' constants), then table and row count: no string built per row. */
const sqlCache = new WeakMap<readonly string[], Map<string, string>>();

function insertSql(table: string, columns: readonly string[], rows: number): string {
  let byTable = sqlCache.get(columns);
  if (!byTable) sqlCache.set(columns, (byTable = new Map()));
  const key = rows === 1 ? table : `${table} ${rows}`;
  let sql = byTable.get(key);
  if (sql === undefined) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
    byTable.set(key, sql);
  }
  return sql;
}
