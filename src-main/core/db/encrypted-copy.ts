import type Database from 'better-sqlite3';

// A whole database copied into an empty, already keyed connection: what VACUUM does, by hand,
// because SQLite3 Multiple Ciphers has no `sqlcipher_export` and cannot key an in-memory image,
// so VACUUM INTO cannot turn a plain database into an encrypted file. Copying into a keyed file
// means no plain page is ever written: a plain file encrypted by `PRAGMA rekey` exists in plain
// first (and its rollback journal keeps the plain pages while it is rewritten).

/** Where the rows come from: another connection (an in-memory image), or a schema attached to the target. */
export type CopySource = { db: Database.Database } | { attached: string };

interface TableInfo {
  name: string;
  type: 'table' | 'shadow';
  withoutRowid: boolean;
}

/**
 * Copies schema, rows (rowids kept: FTS indexes refer to them), planner statistics, user_version and
 * application_id from `source` into the empty main database of `target`, in one transaction.
 * Virtual tables are created from their SQL and their shadow tables' rows copied raw, as VACUUM does.
 * `beforeCommit` runs inside the transaction (a test looks at the files then).
 */
export function copyDatabaseInto(target: Database.Database, source: CopySource, beforeCommit?: () => void): void {
  const read = 'db' in source ? source.db : target;
  const schema = 'db' in source ? 'main' : source.attached;
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const from = `${q(schema)}.`;
  const entries = read.prepare(`SELECT type, name, sql FROM ${from}sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid`).all() as {
    type: string;
    name: string;
    sql: string;
  }[];
  const tables = (read.prepare('SELECT name, type, wr FROM pragma_table_list WHERE schema = ?').all(schema) as { name: string; type: string; wr: number }[])
    .filter((t) => (t.type === 'table' || t.type === 'shadow') && !['sqlite_schema', 'sqlite_temp_schema', 'sqlite_master'].includes(t.name))
    .map((t): TableInfo => ({ name: t.name, type: t.type as TableInfo['type'], withoutRowid: t.wr === 1 }));
  const shadows = new Set(tables.filter((t) => t.type === 'shadow').map((t) => t.name));
  const internal = (name: string) => name.startsWith('sqlite_');
  const userVersion = read.pragma(`${q(schema)}.user_version`, { simple: true }) as number;
  const applicationId = read.pragma(`${q(schema)}.application_id`, { simple: true }) as number;
  const autoVacuum = read.pragma(`${q(schema)}.auto_vacuum`, { simple: true }) as number;

  const foreignKeys = target.pragma('foreign_keys', { simple: true }) as number;
  target.pragma('foreign_keys = OFF'); // rows go in table by table; the source already satisfied them
  // better-sqlite3's defensive mode makes shadow tables read-only; their rows are copied raw.
  target.unsafeMode(true);
  try {
    target.pragma(`main.auto_vacuum = ${autoVacuum}`); // before the first table, or it has no effect
    target
      .transaction(() => {
        // Tables first (a virtual table creates its shadow tables), then the rows, then indexes,
        // views and triggers (so no trigger fires on the copied rows).
        for (const e of entries) if (e.type === 'table' && !internal(e.name) && !shadows.has(e.name)) target.exec(e.sql);
        const stats = tables.filter((t) => t.name.startsWith('sqlite_stat'));
        if (stats.length > 0) target.exec('ANALYZE main.sqlite_schema'); // creates the statistics tables (no rows)
        // sqlite_sequence last: rows put into AUTOINCREMENT tables move it.
        for (const t of [...tables.filter((x) => !internal(x.name)), ...tables.filter((x) => internal(x.name))]) copyRows(target, read, schema, t, q);
        for (const name of (target.prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name LIKE 'sqlite_stat%'").pluck().all() as string[])) {
          if (!stats.some((s) => s.name === name)) target.exec(`DROP TABLE main.${q(name)}`);
        }
        for (const kind of ['index', 'view', 'trigger']) {
          for (const e of entries) if (e.type === kind && !internal(e.name)) target.exec(e.sql);
        }
        target.pragma(`main.user_version = ${userVersion}`);
        target.pragma(`main.application_id = ${applicationId}`);
        beforeCommit?.();
      })
      .immediate();
  } finally {
    target.unsafeMode(false);
    target.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

function copyRows(target: Database.Database, read: Database.Database, schema: string, t: TableInfo, q: (n: string) => string): void {
  const columns = (read.prepare('SELECT name, pk, type, hidden FROM pragma_table_xinfo(?, ?)').all(t.name, schema) as { name: string; pk: number; type: string; hidden: number }[])
    .filter((c) => c.hidden === 0); // generated columns are computed again
  const pks = columns.filter((c) => c.pk > 0);
  // The rowid is copied unless it is a column already (INTEGER PRIMARY KEY) or there is none.
  const rowidAlias = pks.length === 1 && pks[0]!.type.toUpperCase() === 'INTEGER';
  const names = [...(t.withoutRowid || rowidAlias ? [] : ['rowid']), ...columns.map((c) => c.name)];
  const list = names.map((n) => (n === 'rowid' ? n : q(n))).join(', ');
  // Shadow tables, sqlite_sequence and the statistics tables were filled when they were created: the
  // source's rows replace theirs.
  const replace = t.type === 'shadow' || t.name.startsWith('sqlite_');
  if (replace) target.exec(`DELETE FROM main.${q(t.name)}`);
  if (read === target) {
    target.exec(`INSERT INTO main.${q(t.name)} (${list}) SELECT ${list} FROM ${q(schema)}.${q(t.name)}`);
    return;
  }
  const insert = target.prepare(`INSERT INTO main.${q(t.name)} (${list}) VALUES (${names.map(() => '?').join(', ')})`);
  for (const row of read.prepare(`SELECT ${list} FROM main.${q(t.name)}`).raw().iterate() as IterableIterator<unknown[]>) insert.run(row);
}
