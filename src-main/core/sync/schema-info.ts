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

export function syncedTables(sqlite: Database.Database): Map<string, SyncedTable> {
  let tables = cache.get(sqlite);
  if (!tables) {
    tables = new Map();
    for (const shape of fileTableShapes(sqlite)) {
      if (isLocalOnlyTable(shape.name) || shape.columns.length === 0) continue;
      tables.set(shape.name, syncedTable(shape));
    }
    cache.set(sqlite, tables);
  }
  return tables;
}
