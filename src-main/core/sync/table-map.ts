import type Database from 'better-sqlite3';
import type { SyncTableMap } from '@shared/sync/table-map-types';
import { syncedTables } from './schema-info';
import { UNIQUE_KEYS } from './tables';

/**
 * The synced tables of a migrated file as the sync server needs them
 * (src-shared/sync/table-map.ts is this, generated): columns, key, foreign
 * keys with their ON DELETE, collision keys and how they compare.
 */
export function syncTableMap(sqlite: Database.Database): SyncTableMap {
  const out: SyncTableMap = {};
  for (const t of syncedTables(sqlite).values()) {
    const fks = sqlite.pragma(`foreign_key_list("${t.name}")`) as { id: number; from: string; table: string; on_delete: string }[];
    if (new Set(fks.map((f) => f.id)).size !== fks.length) throw new Error(`${t.name} has a foreign key of several columns: the server's fold handles one-column keys only`);
    let localRows: { column: string; value: string } | undefined;
    if (t.rowFilter) {
      const m = /^R\.(\w+) <> '([^']*)'$/.exec(t.rowFilter);
      if (!m) throw new Error(`${t.name}: row filter ${t.rowFilter} is not one the table map can express`);
      localRows = { column: m[1]!, value: m[2]! };
    }
    // Unique indexes that are not collision keys (nor the row id): a change breaking one is refused on the PC.
    const strictUnique: string[][] = [];
    for (const ix of sqlite.pragma(`index_list("${t.name}")`) as { name: string; unique: number; origin: string }[]) {
      if (!ix.unique || ix.origin === 'pk' || (UNIQUE_KEYS[t.name] ?? []).some((k) => k.index === ix.name)) continue;
      const cols = (sqlite.pragma(`index_info("${ix.name}")`) as { seqno: number; name: string | null }[]).sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
      if (cols.some((c) => c === null)) throw new Error(`${t.name}.${ix.name} is an index on an expression: the table map cannot express it`);
      if (cols.length === 1 && t.key.length === 1 && cols[0] === t.key[0]) continue;
      strictUnique.push(cols as string[]);
    }
    out[t.name] = {
      columns: t.columns,
      key: t.key,
      foreignKeys: fks.map((f) => ({ column: f.from, table: f.table, onDelete: f.on_delete as SyncTableMap[string]['foreignKeys'][number]['onDelete'] })),
      uniqueKeys: (UNIQUE_KEYS[t.name] ?? []).map((k) => ({ column: k.column, fold: /^lower\(/.test(k.match) ? 'lower' : /^upper\(/.test(k.match) ? 'upper' : 'exact' })),
      strictUnique,
      ...(localRows ? { localRows } : {}),
    };
  }
  return out;
}
