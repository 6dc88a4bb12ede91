import type Database from 'better-sqlite3';
import type { BusinessDb } from '../db/open';

/**
 * Puts the changes a first snapshot recorded (`recordSnapshot`, seq after
 * `afterSeq`) in an order where every table comes after the tables it refers
 * to, rows of one table in their recorded order. The snapshot records tables
 * by name (customer_events before customers), and it reaches the other PCs in
 * pages that are applied one at a time: a child in a page before its parent's
 * page would be taken for an orphan (applyRemote repairs those by the
 * reference's ON DELETE). Parents first, every page is whole on its own.
 * Runs inside the caller's transaction; the rows keep their ids and stamps,
 * only their place in the push queue (`seq`) changes.
 */
export function orderSnapshotParentsFirst(db: BusinessDb, afterSeq: number): void {
  const s = db.sqlite;
  const tables = s.prepare('SELECT DISTINCT tbl FROM sync_changes WHERE seq > ?').pluck().all(afterSeq) as string[];
  if (tables.length < 2) return;
  const order = parentsFirst(s, tables);
  s.exec('DROP TABLE IF EXISTS temp.snapshot_rank');
  s.exec('CREATE TEMP TABLE snapshot_rank (tbl TEXT PRIMARY KEY, rank INTEGER NOT NULL)');
  const rank = s.prepare('INSERT INTO temp.snapshot_rank (tbl, rank) VALUES (?, ?)');
  order.forEach((table, i) => rank.run(table, i));
  s.exec('DROP TABLE IF EXISTS temp.snapshot_rows');
  s.prepare('CREATE TEMP TABLE snapshot_rows AS SELECT * FROM sync_changes WHERE seq > ?').run(afterSeq);
  s.prepare('DELETE FROM sync_changes WHERE seq > ?').run(afterSeq);
  s.exec(
    `INSERT INTO sync_changes (id, hlc, device_id, tbl, row_id, op, fields, pushed, remote)
     SELECT r.id, r.hlc, r.device_id, r.tbl, r.row_id, r.op, r.fields, r.pushed, r.remote
     FROM temp.snapshot_rows r JOIN temp.snapshot_rank k ON k.tbl = r.tbl ORDER BY k.rank, r.seq`,
  );
  s.exec('DROP TABLE temp.snapshot_rows');
  s.exec('DROP TABLE temp.snapshot_rank');
}

/** The tables, each after those its foreign keys name (a cycle's tables by name, at the end). */
export function parentsFirst(s: Database.Database, tables: string[]): string[] {
  const set = new Set(tables);
  const parents = new Map<string, Set<string>>();
  for (const t of tables) {
    const fks = s.pragma(`foreign_key_list("${t.replaceAll('"', '""')}")`) as { table: string }[];
    parents.set(t, new Set(fks.map((f) => f.table).filter((p) => p !== t && set.has(p))));
  }
  const done: string[] = [];
  const placed = new Set<string>();
  const sorted = [...tables].sort();
  for (let progress = true; progress; ) {
    progress = false;
    for (const t of sorted) {
      if (placed.has(t) || [...parents.get(t)!].some((p) => !placed.has(p))) continue;
      done.push(t);
      placed.add(t);
      progress = true;
    }
  }
  for (const t of sorted) if (!placed.has(t)) done.push(t);
  return done;
}
