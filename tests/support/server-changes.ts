import type { PulledChange } from '@shared/sync/server-wire';
import type { BusinessDb } from '../../src-main/core/db/open';
import { applyRemote, enableSync, recordSnapshot } from '../../src-main/core/sync';

// Rows only the sync server writes (license machines, a key's last validation,
// the business's license public key) put on a PC the way a pull puts them:
// as server-made changes (device `server`, stamped after everything the PC
// holds) through the PC's own apply path, `applyRemote`, as the sync client
// applies a pulled page. Shaped like src-server/projection/writer.ts makes them.

let seq = 0;

/** Turns sync on for a file that never synced (a device id and a snapshot of its rows), as connecting does. */
export function syncedPc(db: BusinessDb, deviceId = 'a000000000000001'): void {
  const enabled = db.sqlite.prepare('SELECT capture FROM sync_clock').pluck().get() as number | undefined;
  if (enabled === 1) return;
  enableSync(db, deviceId);
  recordSnapshot(db);
}

type Change = { table: string; rowId: string; op?: 'upsert' | 'delete'; fields: Record<string, unknown> };

/** Applies server-made changes, stamped after every change the file's log holds (the server's receive rule). */
export function applyServerChanges(db: BusinessDb, changes: Change[]): ReturnType<typeof applyRemote> {
  syncedPc(db);
  const newest = (db.sqlite.prepare('SELECT max(hlc) FROM sync_changes').pluck().get() as string | null) ?? '';
  const ms = Math.max(Date.now(), newest ? Number(newest.slice(0, 13)) + 1 : 0);
  const pulled: PulledChange[] = changes.map((c, i) => {
    const hlc = `${String(ms).padStart(13, '0')}-${String(i).padStart(9, '0')}-server`;
    return { id: hlc, hlc, table: c.table, rowId: c.rowId, op: c.op ?? 'upsert', fields: c.fields, seq: ++seq, deviceId: 'server' };
  });
  return applyRemote(db, pulled);
}

export interface MachineRow {
  id: string;
  subscription_id: string;
  fingerprint: string;
  name: string | null;
  activated_at: string;
  deactivated_at?: string | null;
  last_seen_on?: string | null;
}

/** POST /v1/licenses/activate as the server writes it: a license_machines insert carrying every column. */
export function machineInsert(m: MachineRow): Change {
  return { table: 'license_machines', rowId: m.id, fields: { deactivated_at: null, last_seen_on: null, ...m } };
}

/** An edit of a row the server made: the columns changed, and under "@base" the values they had. */
export function edit(table: string, rowId: string, changed: Record<string, unknown>, base: Record<string, unknown>): Change {
  return { table, rowId, fields: { ...changed, '@base': base } };
}
