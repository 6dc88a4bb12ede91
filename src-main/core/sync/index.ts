import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { digestLine } from '@shared/sync/digest';
import type { PulledChange } from '@shared/sync/server-wire';
import { openExisting } from '../db/keyring';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { conflict } from '../errors';
import { applyChanges } from './apply';
import { syncedTables } from './schema-info';
import { fullFieldsSql, NOW_MS, rowIdSql, TICK_SQL } from './tables';

// Sync on the PC (docs/sync-pc.md): the change log the capture triggers
// fill, the HLC, applying remote changes, and the digest. The HTTP client
// and the CLI (src-main/core/sync-client, the other half) call only these.

export interface LocalChange {
  id: string;
  hlc: string;
  table: string;
  rowId: string;
  op: 'upsert' | 'delete';
  fields: Record<string, unknown>;
}

export interface SyncState {
  server: string | null;
  deviceId: string | null;
  deviceName: string | null;
  cursor: number;
  lastSyncAt: string | null;
  billingDevice: { id: string; name: string } | null;
}

interface StateRow {
  server: string | null;
  device_id: string | null;
  device_name: string | null;
  cursor: number;
  last_sync_at: string | null;
  billing_device_id: string | null;
  billing_device_name: string | null;
}

export function readSyncState(db: BusinessDb): SyncState {
  const row = stmt(db.sqlite, 'SELECT * FROM sync_state WHERE one = 1').get() as StateRow | undefined;
  if (!row) return { server: null, deviceId: null, deviceName: null, cursor: 0, lastSyncAt: null, billingDevice: null };
  return {
    server: row.server,
    deviceId: row.device_id,
    deviceName: row.device_name,
    cursor: row.cursor,
    lastSyncAt: row.last_sync_at,
    billingDevice: row.billing_device_id ? { id: row.billing_device_id, name: row.billing_device_name ?? '' } : null,
  };
}

/**
 * The sync server a business file is connected to, read without opening the business (for
 * `business list`): null when it is not connected, or when the file predates sync or cannot be read.
 */
export function syncServerOfFile(file: string, nativeBinding?: string): string | null {
  let sqlite: Database.Database | undefined;
  try {
    // Not read-only: a read-only connection leaves the -wal and -shm files behind when it closes; the last
    // connection of a writable one removes them, so listing leaves the folder as it found it.
    sqlite = openExisting(file, { nativeBinding });
    return (sqlite.prepare('SELECT server FROM sync_state WHERE one = 1').pluck().get() as string | null | undefined) ?? null;
  } catch {
    return null;
  } finally {
    sqlite?.close();
  }
}

export function writeSyncState(db: BusinessDb, patch: Partial<SyncState>): void {
  const next = { ...readSyncState(db), ...patch };
  stmt(
    db.sqlite,
    `INSERT INTO sync_state (one, server, device_id, device_name, cursor, last_sync_at, billing_device_id, billing_device_name)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (one) DO UPDATE SET server = excluded.server, device_id = excluded.device_id, device_name = excluded.device_name,
       cursor = excluded.cursor, last_sync_at = excluded.last_sync_at, billing_device_id = excluded.billing_device_id,
       billing_device_name = excluded.billing_device_name`,
  ).run(next.server, next.deviceId, next.deviceName, next.cursor, next.lastSyncAt, next.billingDevice?.id ?? null, next.billingDevice?.name ?? null);
}

function ensureClock(db: BusinessDb): void {
  stmt(db.sqlite, 'INSERT OR IGNORE INTO sync_clock (one) VALUES (1)').run();
}

/** Capture on: from now on every write of a synced table is recorded, stamped with this device id. */
export function enableSync(db: BusinessDb, deviceId: string): void {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(deviceId)) throw new Error(`deviceId must be 1 to 64 letters, digits or _ (got ${JSON.stringify(deviceId)})`);
  ensureClock(db);
  // Emails this PC queued before (as no device, or under the id of an earlier connection) are
  // delivered only by the device a row names (email/outbox.ts): they move to the new id, before
  // capture is on (the connect's snapshot carries them).
  stmt(db.sqlite, "UPDATE email_outbox SET device_id = @new WHERE device_id IN ('', (SELECT device_id FROM sync_clock)) AND device_id <> @new AND status <> 'sent'").run({ new: deviceId });
  stmt(db.sqlite, 'UPDATE sync_clock SET capture = 1, applying = 0, device_id = ?').run(deviceId);
}

/** Capture off; the log stays (a reconnect decides what to do with it). */
export function disableSync(db: BusinessDb): void {
  ensureClock(db);
  stmt(db.sqlite, 'UPDATE sync_clock SET capture = 0, applying = 0').run();
}

/**
 * Records every row of every synced table as an upsert stamped now, unpushed:
 * connect's first upload. One INSERT ... SELECT per table; the HLC counter
 * numbers the rows (one millisecond, counter 0..n-1 after a tick).
 */
export function recordSnapshot(db: BusinessDb): number {
  const s = db.sqlite;
  return s.transaction(() => {
    ensureClock(db);
    const device = s.prepare('SELECT device_id FROM sync_clock').pluck().get() as string;
    if (!device) throw new Error('enableSync first: a snapshot is stamped with the device id');
    let total = 0;
    for (const t of syncedTables(s).values()) {
      s.exec(TICK_SQL);
      const where = t.rowFilter ? ` WHERE ${t.rowFilter.replaceAll('R.', 'r.')}` : '';
      const n = s
        .prepare(
          `INSERT INTO sync_changes (id, hlc, device_id, tbl, row_id, op, fields)
           SELECT stamp, stamp, dev, '${t.name}', rid, 'upsert', f FROM (
             SELECT printf('%013d-%09d-%s', k.hlc_ms, k.hlc_counter + row_number() OVER (ORDER BY ${t.key.map((x) => `r.${x}`).join(', ')}) - 1, k.device_id) AS stamp,
               k.device_id AS dev, ${rowIdSql(t, 'r')} AS rid, ${fullFieldsSql(t, 'r')} AS f
             FROM ${t.name} r, sync_clock k${where}
           )`,
        )
        .run().changes;
      if (n > 0) s.prepare('UPDATE sync_clock SET hlc_counter = hlc_counter + ? - 1').run(n);
      total += n;
    }
    return total;
  })();
}

interface ChangeRow {
  id: string;
  hlc: string;
  tbl: string;
  row_id: string;
  op: 'upsert' | 'delete';
  fields: string;
}

// Unpushed changes are found by a scan of the log in seq order from
// sync_clock.unpushed_from (no index on `pushed`: every captured write would
// pay for it); markPushed moves that mark past the changes now pushed.
const UNPUSHED = 'FROM sync_changes WHERE seq >= (SELECT unpushed_from FROM sync_clock) AND pushed = 0';

/** Unpushed local changes, oldest first. */
export function pendingChanges(db: BusinessDb, limit: number): LocalChange[] {
  const rows = stmt(db.sqlite, `SELECT id, hlc, tbl, row_id, op, fields ${UNPUSHED} ORDER BY seq LIMIT ?`).all(Math.max(0, Math.floor(limit))) as ChangeRow[];
  return rows.map((r) => ({ id: r.id, hlc: r.hlc, table: r.tbl, rowId: r.row_id, op: r.op, fields: JSON.parse(r.fields) as Record<string, unknown> }));
}

/** Whether the log holds a change (by id): the PC asks it of the newest change the server has from this device. */
export function hasChange(db: BusinessDb, id: string): boolean {
  return stmt(db.sqlite, 'SELECT 1 FROM sync_changes WHERE id = ?').get(id) !== undefined;
}

/**
 * Rows that are part of another record (its lines, its tags, its timeline and
 * history), counted as that record: [table, parent table, parent column].
 */
const PART_OF: readonly [string, string, string][] = [
  ['customer_tags', 'customers', 'customer_id'],
  ['customer_events', 'customers', 'customer_id'],
  ['invoice_lines', 'invoices', 'invoice_id'],
  ['sale_lines', 'sales', 'sale_id'],
  ['plan_tiers', 'plans', 'plan_id'],
  ['subscription_history', 'subscriptions', 'subscription_id'],
  ['pending_items', 'subscriptions', 'subscription_id'],
];
/** Written alongside what a person changes, never changes of their own. */
const NOT_COUNTED = ['audit_log', 'sync_conflicts'];

const parentOf = (column: string) => `coalesce(json_extract(fields, '$.${column}'), json_extract(fields, '$."@base".${column}'))`;
const PENDING_RECORDS = `SELECT count(*) FROM (SELECT DISTINCT
    CASE tbl ${PART_OF.map(([t, parent]) => `WHEN '${t}' THEN '${parent}'`).join(' ')} ELSE tbl END AS entity,
    CASE tbl ${PART_OF.map(([t, , column]) => `WHEN '${t}' THEN coalesce(${parentOf(column)}, row_id)`).join(' ')} ELSE row_id END AS entity_id
  ${UNPUSHED} AND tbl NOT IN (${NOT_COUNTED.map((t) => `'${t}'`).join(', ')}))`;

/** Above this many waiting log rows (a first upload), records are counted without the DISTINCT (7 to 10 times the cost). */
const PRECISE_UP_TO = 20_000;
const PENDING_ROUGH = `SELECT count(*) ${UNPUSHED} AND tbl NOT IN (${[...NOT_COUNTED, ...PART_OF.map(([t]) => t)].map((t) => `'${t}'`).join(', ')})`;

/**
 * How many records wait to be pushed, as a person counts them (the header's
 * "3 changes waiting"): one edited customer is one, however many log rows it
 * made (the row, its timeline line, its audit row, its tags). `pendingChanges`
 * and a push count log rows. Past 20,000 waiting rows (a first upload of a big
 * business, where the exact figure matters less than the header staying quick:
 * 1M rows took 1 to 1.5 s instead of 0.15 s), a record written twice counts twice.
 */
export function pendingCount(db: BusinessDb): number {
  const raw = stmt(db.sqlite, `SELECT count(*) ${UNPUSHED}`).pluck().get() as number;
  if (raw === 0) return 0;
  return stmt(db.sqlite, raw <= PRECISE_UP_TO ? PENDING_RECORDS : PENDING_ROUGH).pluck().get() as number;
}

/** Log rows waiting to be pushed (what a push counts; `pendingCount` counts records, as a person does). */
export function pendingRows(db: BusinessDb): number {
  return stmt(db.sqlite, `SELECT count(*) ${UNPUSHED}`).pluck().get() as number;
}

/** One push's worth of unpushed changes, read straight into the push body (`readPushBatch`). */
export interface PushBatch {
  /** The seqs of the first and last change: every unpushed change between them is in the batch. */
  firstSeq: number;
  lastSeq: number;
  ids: string[];
  /** The request body, `{"changes":[...]}`; each change's fields as the log holds them (JSON text), not parsed again. */
  body: string;
  bytes: number;
}

/** `{"changes":[` + `]}`. */
const PUSH_ENVELOPE = 14;

/**
 * The unpushed changes after seq `afterSeq` (0: from the first), oldest first,
 * as many as fit `maxChanges` and `targetBytes` of body (a change alone may
 * take up to `maxBytes`, the server's limit). Their `fields` go into
 * the body as the text the capture triggers wrote (valid JSON, made by
 * SQLite's json functions): a first upload of millions of rows parses and
 * serializes nothing per row. Null when nothing waits. A single change over
 * `maxBytes` throws (it can never be pushed).
 */
export function readPushBatch(db: BusinessDb, afterSeq: number, maxChanges: number, maxBytes: number, targetBytes = maxBytes): PushBatch | null {
  const rows = stmt(db.sqlite, 'SELECT seq, id, hlc, tbl, row_id, op, fields FROM sync_changes WHERE seq >= max((SELECT unpushed_from FROM sync_clock), ?) AND pushed = 0 ORDER BY seq LIMIT ?')
    .raw()
    .iterate(afterSeq + 1, Math.max(1, Math.floor(maxChanges))) as IterableIterator<[number, string, string, string, string, string, string]>;
  const parts: string[] = [];
  const ids: string[] = [];
  let bytes = PUSH_ENVELOPE;
  let firstSeq = 0;
  let lastSeq = 0;
  for (const [seq, id, hlc, tbl, rowId, op, fields] of rows) {
    const part = `{"id":${JSON.stringify(id)},"hlc":${JSON.stringify(hlc)},"table":${JSON.stringify(tbl)},"rowId":${JSON.stringify(rowId)},"op":${JSON.stringify(op)},"fields":${fields}}`;
    const size = Buffer.byteLength(part) + (parts.length > 0 ? 1 : 0);
    if (bytes + size > (parts.length === 0 ? maxBytes : Math.min(maxBytes, targetBytes))) {
      if (parts.length === 0) {
        rows.return?.();
        throw conflict(`A change of ${tbl} ${rowId} is over the server's ${Math.round(maxBytes / 1024 / 1024)} MB limit for one push and cannot be synced`);
      }
      rows.return?.();
      break;
    }
    if (parts.length === 0) firstSeq = seq;
    lastSeq = seq;
    bytes += size;
    parts.push(part);
    ids.push(id);
  }
  if (parts.length === 0) return null;
  return { firstSeq, lastSeq, ids, body: `{"changes":[${parts.join(',')}]}`, bytes };
}

/**
 * Marks a pushed batch: by its seq range (one range update, no lookup by id per
 * change) when the log still holds exactly that batch there (the same ids at
 * both ends, as many unpushed rows as ids), else by id.
 */
export function markPushedBatch(db: BusinessDb, batch: Pick<PushBatch, 'firstSeq' | 'lastSeq' | 'ids'>): void {
  const s = db.sqlite;
  s.transaction(() => {
    const idAt = stmt(s, 'SELECT id FROM sync_changes WHERE seq = ?').pluck();
    const unpushed = stmt(s, 'SELECT count(*) FROM sync_changes WHERE seq BETWEEN ? AND ? AND pushed = 0').pluck();
    const same =
      idAt.get(batch.firstSeq) === batch.ids[0] &&
      idAt.get(batch.lastSeq) === batch.ids[batch.ids.length - 1] &&
      unpushed.get(batch.firstSeq, batch.lastSeq) === batch.ids.length;
    if (!same) return markPushed(db, batch.ids);
    stmt(s, 'UPDATE sync_changes SET pushed = 1 WHERE seq BETWEEN ? AND ? AND pushed = 0').run(batch.firstSeq, batch.lastSeq);
    moveUnpushedMark(db);
  })();
}

export function markPushed(db: BusinessDb, ids: string[]): void {
  const mark = stmt(db.sqlite, 'UPDATE sync_changes SET pushed = 1 WHERE id = ?');
  db.sqlite.transaction(() => {
    for (const id of ids) mark.run(id);
    moveUnpushedMark(db);
  })();
}

function moveUnpushedMark(db: BusinessDb): void {
  stmt(
    db.sqlite,
    `UPDATE sync_clock SET unpushed_from = coalesce(
       (SELECT seq FROM sync_changes WHERE seq >= sync_clock.unpushed_from AND pushed = 0 ORDER BY seq LIMIT 1),
       (SELECT coalesce(max(seq), 0) + 1 FROM sync_changes))`,
  ).run();
}

/**
 * The HLC's wall clock: the OS clock as SQLite reads it in the capture triggers (not the Clock port,
 * which tests move by hand). `observeServerTime` must compare the server's time with this one, or
 * the correction it stores would be off by whatever the Clock port is off.
 */
export function hlcWallClockMs(db: BusinessDb): number {
  return stmt(db.sqlite, `SELECT ${NOW_MS}`).pluck().get() as number;
}

/**
 * Re-stamps the unpushed local changes stamped more than `aheadMs` ahead of
 * the corrected clock (a PC whose clock jumped ahead while offline stamped
 * them before it learned the server's time), so the server does not refuse
 * them and they do not win every later edit of the other PCs. One
 * transaction; call it after `observeServerTime` and before pushing or
 * pulling (the stamps then were never compared with a pulled change).
 *
 * Those changes are the tail of the unpushed ones (the HLC never goes back).
 * They get new stamps in their order, one millisecond after every other stamp
 * in the log (local or pulled, so what they were made after stays before
 * them) or at the corrected now, whichever is later; the clock moves back to
 * the last of them. Returns how many were re-stamped.
 */
export function restampAhead(db: BusinessDb, aheadMs: number): number {
  ensureClock(db);
  const s = db.sqlite;
  return s.transaction(() => {
    const clock = stmt(s, `SELECT device_id AS device, ${NOW_MS} + offset_ms AS now FROM sync_clock`).get() as { device: string | null; now: number };
    if (!clock.device) return 0;
    const limit = clock.now + Math.max(0, aheadMs);
    const msOf = 'CAST(substr(hlc, 1, 13) AS INTEGER)';
    const ahead = stmt(s, `SELECT seq ${UNPUSHED} AND device_id = ? AND ${msOf} > ? ORDER BY seq`).pluck().all(clock.device, limit) as number[];
    if (ahead.length === 0) return 0;
    const first = ahead[0]!;
    const others = stmt(s, `SELECT max(${msOf}) FROM sync_changes WHERE NOT (seq >= ? AND pushed = 0 AND device_id = ? AND ${msOf} > ?)`).pluck().get(first, clock.device, limit) as
      | number
      | null;
    const ms = Math.max(clock.now, (others ?? 0) + 1);
    const set = stmt(s, 'UPDATE sync_changes SET id = ?, hlc = ? WHERE seq = ?');
    ahead.forEach((seq, counter) => {
      const stamp = `${String(ms).padStart(13, '0')}-${String(counter).padStart(9, '0')}-${clock.device}`;
      set.run(stamp, stamp, seq);
    });
    stmt(s, 'UPDATE sync_clock SET hlc_ms = ?, hlc_counter = ?').run(ms, ahead.length - 1);
    return ahead.length;
  })();
}

/** Applies pulled changes (sync-pc.md "Applying"): one transaction, idempotent by change id. */
export function applyRemote(db: BusinessDb, changes: PulledChange[]): { applied: number; skipped: number; conflicts: number } {
  ensureClock(db);
  return applyChanges(db.sqlite, changes);
}

/**
 * Stores the server's clock minus this PC's (at the moment the answer
 * arrived), which the HLC adds to the local clock: a PC hours ahead stamps
 * near server time, never beyond it plus the HLC's own bound. Returns how far
 * this PC's clock is ahead of the server's (negative: behind).
 */
export function observeServerTime(db: BusinessDb, serverTimeMs: number, localReceivedMs: number): { skewMs: number } {
  if (!Number.isFinite(serverTimeMs) || !Number.isFinite(localReceivedMs)) throw new Error('serverTimeMs and localReceivedMs must be numbers');
  ensureClock(db);
  const offset = Math.round(serverTimeMs - localReceivedMs);
  stmt(db.sqlite, 'UPDATE sync_clock SET offset_ms = ?').run(offset);
  return { skewMs: -offset };
}

export function listConflicts(db: BusinessDb): { entity: string; id: string; field: string; kept: unknown; overwritten: unknown; at: string }[] {
  const rows = stmt(db.sqlite, 'SELECT entity, entity_id, field, kept, overwritten, at FROM sync_conflicts ORDER BY at, id').all() as {
    entity: string;
    entity_id: string;
    field: string;
    kept: string | null;
    overwritten: string | null;
    at: string;
  }[];
  const parse = (v: string | null) => (v === null ? null : (JSON.parse(v) as unknown));
  return rows.map((r) => ({ entity: r.entity, id: r.entity_id, field: r.field, kept: parse(r.kept), overwritten: parse(r.overwritten), at: r.at }));
}

/** A SHA-256 per synced table over its rows by row id, columns sorted by name, local-only columns and rows left out. */
export function digest(db: BusinessDb): { tables: Record<string, string> } {
  const tables: Record<string, string> = {};
  const all = [...syncedTables(db.sqlite).values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const t of all) {
    const columns = [...t.columns].sort();
    const where = t.rowFilter ? ` WHERE ${t.rowFilter.replaceAll('R.', `"${t.name}".`)}` : '';
    const hash = createHash('sha256');
    const rows = db.sqlite.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${t.name}"${where} ORDER BY ${t.key.join(', ')}`).raw().iterate() as Iterable<unknown[]>;
    for (const row of rows) hash.update(digestLine(row));
    tables[t.name] = hash.digest('hex');
  }
  return { tables };
}
