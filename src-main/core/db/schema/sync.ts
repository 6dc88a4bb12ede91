import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Sync on the PC (docs/sync-pc.md). The change log, the clock and the state
// are local to this PC and never synced; sync_conflicts is synced like any
// business table (every PC lists the same conflicts). The capture triggers
// that fill sync_changes are generated (scripts/gen-sync-triggers.ts) into a
// custom migration, so they commit or roll back with every write.

/** Every change of a synced row: local ones (to push) and applied remote ones (for per-field last-writer-wins). */
export const syncChanges = sqliteTable(
  'sync_changes',
  {
    seq: integer('seq').primaryKey(),
    /** The change id; equals the HLC stamp, which contains the device id. */
    id: text('id').notNull().unique(),
    hlc: text('hlc').notNull(),
    deviceId: text('device_id').notNull(),
    tbl: text('tbl').notNull(),
    rowId: text('row_id').notNull(),
    op: text('op', { enum: ['upsert', 'delete'] }).notNull(),
    /** JSON object column -> value; an update's also holds "@base", the values it replaced. */
    fields: text('fields').notNull(),
    pushed: integer('pushed').notNull().default(0),
    remote: integer('remote').notNull().default(0),
  },
  // No index on `pushed`: one index fewer for every captured write; the unpushed are found from sync_clock.unpushed_from.
  (t) => [index('sync_changes_row').on(t.tbl, t.rowId)],
);

/** One row: capture on/off, the applying flag, the device id and the HLC (read and advanced by the capture triggers). */
export const syncClock = sqliteTable('sync_clock', {
  one: integer('one').primaryKey(),
  capture: integer('capture').notNull().default(0),
  applying: integer('applying').notNull().default(0),
  deviceId: text('device_id').notNull().default(''),
  hlcMs: integer('hlc_ms').notNull().default(0),
  hlcCounter: integer('hlc_counter').notNull().default(0),
  /** The server's clock minus this PC's, in ms, as last observed. */
  offsetMs: integer('offset_ms').notNull().default(0),
  /** No change below this seq is unpushed (pushes go oldest first): the scan for unpushed changes starts here. */
  unpushedFrom: integer('unpushed_from').notNull().default(0),
});

/** One row: where this PC syncs and how far it has pulled. */
export const syncState = sqliteTable('sync_state', {
  one: integer('one').primaryKey(),
  server: text('server'),
  deviceId: text('device_id'),
  deviceName: text('device_name'),
  cursor: integer('cursor').notNull().default(0),
  lastSyncAt: text('last_sync_at'),
  billingDeviceId: text('billing_device_id'),
  billingDeviceName: text('billing_device_name'),
});

/** Values that lost a merge (same field edited on two PCs, an edit to a deleted row, a unique key taken twice). Synced. */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    /** Derived from the losing change and field, so every PC that meets the conflict writes the same row. */
    id: text('id').primaryKey(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    field: text('field').notNull(),
    /** JSON values. */
    kept: text('kept'),
    overwritten: text('overwritten'),
    at: text('at').notNull(),
  },
  (t) => [index('sync_conflicts_at').on(t.at)],
);
