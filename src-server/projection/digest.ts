import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { compareByKey, digestColumns, digestLine } from '@shared/sync/digest';
import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import type { ServerDb } from '../db/open';

/**
 * `sync digest` of a business's projection: per synced table a SHA-256 over
 * its rows, in the PC's canonical form (src-shared/sync/digest.ts), so a
 * test can compare it with every PC's. Reads every row: for tests and
 * operators, not for requests.
 */
export async function projectionDigest(db: ServerDb, businessId: string): Promise<{ tables: Record<string, string> }> {
  const result = await db.execute(sql`select tbl, data from synced_rows where business_id = ${businessId} and data is not null`);
  const byTable = new Map<string, Record<string, unknown>[]>();
  for (const r of (result as unknown as { rows: { tbl: string; data: Record<string, unknown> }[] }).rows) {
    if (!byTable.has(r.tbl)) byTable.set(r.tbl, []);
    byTable.get(r.tbl)!.push(r.data);
  }
  const tables: Record<string, string> = {};
  for (const name of Object.keys(SYNC_TABLE_MAP).sort((a, b) => (a < b ? -1 : 1))) {
    const t = SYNC_TABLE_MAP[name]!;
    const columns = digestColumns(t.columns);
    const rows = (byTable.get(name) ?? []).filter((row) => !t.localRows || row[t.localRows.column] !== t.localRows.value).sort(compareByKey(t.key));
    const hash = createHash('sha256');
    for (const row of rows) hash.update(digestLine(columns.map((c) => row[c] ?? null)));
    tables[name] = hash.digest('hex');
  }
  return { tables };
}
