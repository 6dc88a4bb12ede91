import type Database from 'better-sqlite3';
import { isLocalOnlyTable, syncedTable, type SyncedTable } from './tables';

// The synced tables of an open business file, read from the file itself
// (sqlite_schema and table_info), cached per connection: the file's own
// columns are what a change is applied to and what the digest hashes.

const cache = new WeakMap<Database.Database, Map<string, SyncedTable>>();

export function fileTableShapes(sqlite: Database.Database): { name: string; columns: string[]; primaryKey: string[] }[] {
  const names = sqlite
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  return names.map((name) => {
    const info = sqlite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; pk: number }[];
    return {
      name,
      columns: info.map((c) => c.name),
      primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
    };
  });
}

/**
 * The synced tables, parents before the tables that refer to them (then by
 * name): a snapshot in this order applies page by page on an empty file, every
 * row's references already there.
 */
export function syncedTables(sqlite: Database.Database): Map<string, SyncedTable> {
  let tables = cache.get(sqlite);
  if (!tables) {
    const all = new Map<string, SyncedTable>();
    for (const shape of fileTableShapes(sqlite)) {
      if (isLocalOnlyTable(shape.name) || shape.columns.length === 0) continue;
      all.set(shape.name, syncedTable(shape));
    }
    const parents = new Map<string, string[]>();
    for (const name of all.keys()) {
      const fks = sqlite.pragma(`foreign_key_list("${name}")`) as { table: string }[];
      parents.set(name, [...new Set(fks.map((f) => f.table))].filter((p) => p !== name && all.has(p)));
    }
    tables = new Map();
    const visit = (name: string, path: string[]) => {
      if (tables!.has(name)) return;
      if (path.includes(name)) throw new Error(`synced tables refer to each other in a cycle: ${[...path, name].join(' -> ')}`);
      for (const p of parents.get(name) ?? []) visit(p, [...path, name]);
      tables!.set(name, all.get(name)!);
    };
    for (const name of [...all.keys()].sort()) visit(name, []);
    cache.set(sqlite, tables);
  }
  return tables;
}
