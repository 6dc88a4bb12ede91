import type { SyncUniqueKey } from './table-map-types';

// Merge rules that are pure logic, used by both sides of sync: the PC's apply
// (src-main/core/sync/apply.ts, in SQL around them) and the server's fold into
// its projection (src-server/projection/fold.ts). docs/sync-pc.md, "Applying".

/** The value a row that lost a unique key keeps: its own spelling, then `~` and its row id. */
export const suffixedValue = (value: unknown, rowId: string): string => `${String(value)}~${rowId}`;

/**
 * Two rows wanting one unique value: the one created later, by (creation HLC,
 * row id), loses it. True when `row` loses to `other`.
 */
export const uniqueLoses = (row: { created: string; rowId: string }, other: { created: string; rowId: string }): boolean =>
  row.created > other.created || (row.created === other.created && row.rowId > other.rowId);

const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
const asciiUpper = (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

/** A unique key's value as its index compares it (SQLite's lower()/upper() fold ASCII only); null for no value. */
export function foldUnique(key: SyncUniqueKey, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value);
  return key.fold === 'lower' ? asciiLower(s) : key.fold === 'upper' ? asciiUpper(s) : s;
}
