// The shape of the synced tables as the sync server sees them (generated into
// table-map.ts from the PC's schema, which the server may not import).

export interface SyncForeignKey {
  column: string;
  table: string;
  onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' | 'NO ACTION' | 'SET DEFAULT';
}

export interface SyncUniqueKey {
  column: string;
  /** How the unique index compares: as is, or case-blind (ASCII only, as SQLite's lower()/upper()). */
  fold: 'exact' | 'lower' | 'upper';
}

export interface SyncTableInfo {
  /** The synced columns in table order (local-only columns left out). */
  columns: string[];
  /** The row identity: `id`, or the primary key (a change's rowId is then a JSON array of them). */
  key: string[];
  foreignKeys: SyncForeignKey[];
  uniqueKeys: SyncUniqueKey[];
  /** Unique indexes that are not collision keys (column lists): SQLite refuses a change that breaks one. */
  strictUnique: string[][];
  /** Rows that stay on the PC, as the digest leaves them out: a column and the value that marks them. */
  localRows?: { column: string; value: string };
}

export type SyncTableMap = Record<string, SyncTableInfo>;
