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
 * it needs in memory (see billing/engine.ts for which tables qualify), or
 * flushes before it reads. `parents` flush first (the rows of other tables
 * refer to theirs: foreign keys are checked row by row); the other tables in
 * the order they were first written to.
 */
export class BatchWrites {
  private readonly tables = new Map<string, TableQueue>();
  private held = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly parents: readonly string[] = [],
  ) {}

  /** A row for `table` (columns in the same order on every call for this table; `id` first). */
  insert(table: string, columns: readonly string[], values: unknown[]): void {
    const q = this.queue(table);
    const op: InsertOp = { kind: 'insert', columns, values };
    q.ops.push(op);
    if (columns[0] === 'id') q.rows.set(values[0] as string, op);
    if (++this.held >= MAX_HELD) this.flush();
  }

  /**
   * Sets `fields` of the row `id` of `table`. Merged into what is already held for that row when
   * nothing else was queued for the table since (the row's held INSERT, or its held UPDATE), so a
   * row changed three times in a batch is written once, with the same end state.
   */
  update(table: string, id: string, fields: Record<string, unknown>): void {
    const q = this.queue(table);
    const held = q.rows.get(id);
    if (held?.kind === 'insert') {
      if (Object.keys(fields).some((column) => !held.columns.includes(column))) {
        // Not all columns of the held INSERT: an UPDATE after it (merged into from now on).
        const op: UpdateOp = { kind: 'update', id, fields: { ...fields } };
        q.ops.push(op);
        q.rows.set(id, op);
        if (++this.held >= MAX_HELD) this.flush();
        return;
      }
      for (const [column, value] of Object.entries(fields)) held.values[held.columns.indexOf(column)] = value;
      return;
    }
    if (held?.kind === 'update') {
      Object.assign(held.fields, fields);
      return;
    }
    const op: UpdateOp = { kind: 'update', id, fields: { ...fields } };
    q.ops.push(op);
    q.rows.set(id, op);
    if (++this.held >= MAX_HELD) this.flush();
  }

  /** A statement on `table`, run after the rows and statements queued for that table before it. */
  run(table: string, sql: string, args: unknown[]): void {
    const q = this.queue(table);
    q.ops.push({ kind: 'run', sql, args });
    q.rows.clear(); // what comes next is not merged into what came before this statement
    if (++this.held >= MAX_HELD) this.flush();
  }

  get size(): number {
    return this.held;
  }

  /** Makes every held write, table by table; the queue is empty afterwards. */
  flush(): void {
    if (this.held === 0) return;
    for (const table of this.parents) {
      const q = this.tables.get(table);
      if (q) this.flushTable(table, q);
    }
    for (const [table, q] of this.tables) if (!this.parents.includes(table)) this.flushTable(table, q);
    this.tables.clear();
    this.held = 0;
  }

  private flushTable(table: string, q: TableQueue): void {
    let i = 0;
    while (i < q.ops.length) {
      const op = q.ops[i]!;
      if (op.kind === 'run') {
        stmt(this.db, op.sql).run(...op.args);
        i++;
        continue;
      }
      if (op.kind === 'update') {
        const columns = Object.keys(op.fields);
        stmt(this.db, updateSql(table, columns)).run(...Object.values(op.fields), op.id);
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
      // better-sqlite3 binds each array given, one after the other: no copy into one list.
      const rows: unknown[][] = new Array(j - i);
      for (let k = i; k < j; k++) rows[k - i] = (q.ops[k] as InsertOp).values;
      stmt(this.db, insertSql(table, op.columns, j - i)).run(...rows);
      i = j;
    }
  }

  private queue(table: string): TableQueue {
    let q = this.tables.get(table);
    if (!q) this.tables.set(table, (q = { ops: [], rows: new Map() }));
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
interface UpdateOp {
  kind: 'update';
  id: string;
  fields: Record<string, unknown>;
}
interface RunOp {
  kind: 'run';
  sql: string;
  args: unknown[];
}
interface TableQueue {
  ops: (InsertOp | UpdateOp | RunOp)[];
  /** The held write of each row id that later updates may merge into (none past a `run`). */
  rows: Map<string, InsertOp | UpdateOp>;
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

const updateCache = new Map<string, string>();

/** `UPDATE table SET a = ?, b = ? WHERE id = ?`, by table and column list. */
export function updateSql(table: string, columns: readonly string[]): string {
  const key = `${table} ${columns.join(' ')}`;
  let sql = updateCache.get(key);
  if (sql === undefined) updateCache.set(key, (sql = `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`));
  return sql;
}

/** Sets `fields` of row `id`: held (and merged) in `writes` in a billing batch, made at once otherwise. */
export function updateRow(db: Database.Database, writes: BatchWrites | undefined, table: string, id: string, fields: Record<string, unknown>): void {
  if (writes) writes.update(table, id, fields);
  else stmt(db, updateSql(table, Object.keys(fields))).run(...Object.values(fields), id);
}
