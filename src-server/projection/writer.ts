import { eq, sql } from 'drizzle-orm';
import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import { stampMs } from '@shared/sync/server-wire';
import type { ServerDb } from '../db/open';
import { businesses, changes as changesTable } from '../db/schema';
import { invalid } from '../errors';

// Changes the server itself makes (REST API writes, license machine
// activations): stamped by the server's clock under the device id `server`,
// appended to the business's change log in the caller's transaction (with the
// write's other effects), so the PCs pull and apply them like any other
// change, and the projection folds them like any other.

/** The device id of every change the server makes (a PC's device id is 16 hex digits, so never this). */
export const SERVER_DEVICE_ID = 'server';

export interface ServerChange {
  table: string;
  rowId: string;
  op: 'upsert' | 'delete';
  /** An insert: every synced column. An edit: the columns it changes, and under "@base" the values they had. A delete: "@base", the row removed. */
  fields: Record<string, unknown>;
}

export interface StampedChange extends ServerChange {
  seq: number;
  id: string;
  hlc: string;
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** Checks a change against the synced table's columns (src-shared/sync/table-map.ts); 400 naming the field otherwise. */
export function validateServerChange(c: ServerChange, at: string): void {
  const t = SYNC_TABLE_MAP[c.table];
  if (!t) throw invalid(`${at}.table`, `${at}.table: ${c.table} is not a synced table.`);
  if (typeof c.rowId !== 'string' || c.rowId.length === 0 || c.rowId.length > 200) throw invalid(`${at}.rowId`, `${at}.rowId: 1 to 200 characters.`);
  let key: unknown[] = [c.rowId];
  if (t.key.length > 1) {
    try {
      key = JSON.parse(c.rowId) as unknown[];
    } catch {
      key = [];
    }
    if (!Array.isArray(key) || key.length !== t.key.length) throw invalid(`${at}.rowId`, `${at}.rowId: a JSON array of ${t.key.join(', ')}.`);
  }
  const base = c.fields['@base'];
  for (const f of Object.keys(c.fields)) {
    if (f === '@base') continue;
    if (!t.columns.includes(f)) throw invalid(`${at}.fields.${f}`, `${at}.fields.${f}: ${c.table} has no synced column ${f}.`);
    const v = c.fields[f];
    if (v !== null && !['string', 'number'].includes(typeof v)) throw invalid(`${at}.fields.${f}`, `${at}.fields.${f}: a string, a number or null.`);
    if (typeof v === 'number' && !Number.isFinite(v)) throw invalid(`${at}.fields.${f}`, `${at}.fields.${f}: a finite number.`);
  }
  if (base !== undefined) {
    if (typeof base !== 'object' || base === null || Array.isArray(base)) throw invalid(`${at}.fields.@base`, `${at}.fields.@base: an object of column values.`);
    for (const f of Object.keys(base)) if (!t.columns.includes(f)) throw invalid(`${at}.fields.@base.${f}`, `${at}.fields.@base.${f}: ${c.table} has no synced column ${f}.`);
  }
  if (c.op === 'delete') {
    if (base === undefined) throw invalid(`${at}.fields.@base`, `${at}.fields.@base: a delete carries the row it removes.`);
    return;
  }
  if (base === undefined) {
    // An insert carries the whole row: a PC fills a missing column with its default, the projection with nothing.
    const missing = t.columns.filter((col) => !(col in c.fields));
    if (missing.length > 0) throw invalid(`${at}.fields.${missing[0]}`, `${at}.fields.${missing[0]}: an insert into ${c.table} carries every synced column (missing: ${missing.join(', ')}).`);
  }
  t.key.forEach((k, i) => {
    if (k in c.fields && String(c.fields[k]) !== String(key[i])) throw invalid(`${at}.fields.${k}`, `${at}.fields.${k}: differs from the row id.`);
  });
}

/**
 * The next stamps of the server's clock for a business: after every change
 * the business's log holds (the HLC's receive rule: a write made here wins
 * against everything made before it) and not before the server's time.
 * Reads the newest folded stamp and the unfolded tail of the log, under the
 * business row's lock the caller holds.
 */
async function nextStamps(tx: ServerDb, businessId: string, count: number, now: Date): Promise<string[]> {
  const [row] = rowsOf<{ newest: string | null }>(
    await tx.execute(sql`
      select greatest(
        (select max_hlc from projection_cursors where business_id = ${businessId}),
        (select max(c.hlc) from changes c where c.business_id = ${businessId}
           and c.seq > coalesce((select seq from projection_cursors where business_id = ${businessId}), 0))
      ) as newest`),
  );
  const newest = row?.newest ?? '';
  let ms = now.getTime();
  let counter = 0;
  if (newest && stampMs(newest) >= ms) {
    ms = stampMs(newest);
    counter = Number(newest.slice(14, 23)) + 1;
    if (!Number.isFinite(counter)) counter = 0;
  }
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`${String(ms).padStart(13, '0')}-${String(counter + i).padStart(9, '0')}-${SERVER_DEVICE_ID}`);
  return out;
}

/**
 * Appends server-made changes to a business's log: validated against the
 * synced columns, stamped, numbered after the business's last seq (the
 * business row locked, as a push does), in the caller's transaction `tx`.
 * Returns them with their stamps and seqs. The projection folds them later
 * (ensureProjection before a read that must see them).
 */
export async function appendServerChanges(tx: ServerDb, businessId: string, list: ServerChange[], now: Date): Promise<StampedChange[]> {
  list.forEach((c, i) => validateServerChange(c, `changes.${i}`));
  if (list.length === 0) return [];
  const [biz] = await tx.select({ lastSeq: businesses.lastSeq }).from(businesses).where(eq(businesses.id, businessId)).for('update');
  if (!biz) throw invalid('businessId', `businessId: ${businessId} is not a business on this server.`);
  const stamps = await nextStamps(tx, businessId, list.length, now);
  let seq = biz.lastSeq;
  let bytes = 0;
  const out: StampedChange[] = list.map((c, i) => ({ ...c, seq: ++seq, id: stamps[i]!, hlc: stamps[i]! }));
  const rows = out.map((c) => {
    const size = Buffer.byteLength(JSON.stringify(c.fields)) + c.id.length + c.rowId.length + c.hlc.length + c.table.length;
    bytes += size;
    return { seq: c.seq, change_id: c.id, hlc: c.hlc, table_name: c.table, row_id: c.rowId, op: c.op, fields: c.fields, bytes: size };
  });
  await tx.execute(sql`
    insert into ${changesTable} (business_id, seq, change_id, device_id, hlc, table_name, row_id, op, fields, bytes, received_at)
    select ${businessId}, x.seq, x.change_id, ${SERVER_DEVICE_ID}, x.hlc, x.table_name, x.row_id, x.op, x.fields, x.bytes, ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(seq bigint, change_id text, hlc text, table_name text, row_id text, op text, fields jsonb, bytes integer)`);
  await tx.execute(sql`
    update ${businesses} set last_seq = ${seq}, change_count = change_count + ${out.length}, change_bytes = change_bytes + ${bytes}
    where id = ${businessId}`);
  return out;
}
