// The canonical form `sync digest` hashes (docs/sync-pc.md, "Digest"), shared
// by the PC (rows read from SQLite) and the server (its projection in
// PostgreSQL), so both hash the same bytes for the same rows. The hash itself
// (SHA-256) is the caller's: src-shared runs anywhere and has no crypto.

/** A table's columns in the order the digest writes them: sorted by name. */
export const digestColumns = (columns: readonly string[]): string[] => [...columns].sort();

/** One row's line: its values in digest column order, as JSON, then a newline. */
export const digestLine = (values: readonly unknown[]): string => `${JSON.stringify(values)}\n`;

/** Text compared as SQLite's BINARY collation does (UTF-8 bytes, i.e. code points). */
function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'number' || typeof v === 'bigint' ? 1 : typeof v === 'string' ? 2 : 3);

/** Two values in SQLite's ORDER BY order: NULL, then numbers, then text. */
export function compareSqlValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra === 1) return Number(a) === Number(b) ? 0 : Number(a) < Number(b) ? -1 : 1;
  if (ra === 2) return compareText(a as string, b as string);
  return 0;
}

/** Rows (as objects) in the digest's row order: by the key columns, as SQLite's ORDER BY of them. */
export function compareByKey(key: readonly string[]) {
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const k of key) {
      const c = compareSqlValues(a[k], b[k]);
      if (c !== 0) return c;
    }
    return 0;
  };
}
