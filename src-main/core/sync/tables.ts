// Which tables sync, how a row is identified, and the capture triggers'
// SQL, generated from a table's columns (docs/sync-pc.md). The generator
// script feeds it the drizzle schema's columns; the test that walks the
// schema feeds it the migrated file's columns and compares the triggers
// SQLite holds, so a table or column added without regenerating fails CI.

/** Tables that never sync, and why. Every other table of a business file syncs. */
export const LOCAL_ONLY_TABLES: Readonly<Record<string, string>> = {
  metric_steps: 'derived from the books by the 0006 triggers, which fire on applied changes too',
  metric_days: 'derived (metric triggers)',
  metric_months: 'derived cache of month figures',
  metric_trials: 'derived (metric triggers)',
  metric_dirty: 'derived work list of the metric upkeep',
  insight_customer_days: 'derived (insight triggers, 0022), which fire on applied changes too',
  insight_currency_rows: 'derived (insight triggers, 0022), which fire on applied changes too',
  insight_changes: "this PC's work list of the insights upkeep (0024 triggers, which fire on applied changes too)",
  insight_timelines: "this PC's insights worker's snapshot (0026), derived from the books and checked against insight_changes",
  insight_snapshot: "this PC's insights worker's snapshot (0026): its seq and churn model",
  metric_dirty_subscriptions: 'derived work list of the metric upkeep',
  metric_renewals: 'derived (metric upkeep)',
  metric_revenue: 'derived (metric triggers)',
  metric_customer_hours: 'derived (metric triggers)',
  metric_open_spans: 'derived (metric triggers)',
  billing_runs: "this PC's own run log (a run is a local process; its effects sync as invoices and payments)",
  sync_changes: 'the change log itself',
  sync_clock: "this PC's clock and capture switch",
  sync_state: "this PC's server, device and cursor",
};

/** Table name prefixes that never sync: the search index (rebuilt by its own triggers from customers) and SQLite's own. */
export const LOCAL_ONLY_PREFIXES: Readonly<Record<string, string>> = {
  customers_fts: 'full-text index, kept by triggers on customers',
  customers_words: 'word index, kept by triggers on customers',
  products_fts: 'full-text index, kept by triggers on products',
  sqlite_: "SQLite's own tables",
};

export interface TableRule {
  /** Columns that stay on this PC: never in a change, never in the digest. */
  localColumns?: readonly string[];
  /** Rows that stay on this PC: an SQL condition over the row alias `R` (NEW or OLD). */
  rowFilter?: string;
}

export const TABLE_RULES: Readonly<Record<string, TableRule>> = {
  // SQLite's rowid alias: the search index refers to it; each PC numbers its own rows.
  customers: { localColumns: ['seq'] },
  // The same for products (products_fts).
  products: { localColumns: ['seq'] },
  // Each PC counts its own failed logins and lockouts; a 2FA set-up in progress
  // and the last accepted code's time step are this PC's too (ARCHITECTURE.md "Two-factor login").
  users: { localColumns: ['failed_login_count', 'locked_until', 'last_login_at', 'totp_pending_secret', 'totp_last_step'] },
  // The billing run's lease is a lock between processes of this PC.
  settings: { rowFilter: "R.key <> 'billing.lock'" },
};

/**
 * Unique keys other than the row id, which two PCs can take offline (spec: keep
 * both rows; the later-created one gets its value suffixed with its row id).
 * `match` finds the row holding a value the way the unique index compares it.
 */
export const UNIQUE_KEYS: Readonly<Record<string, readonly { index: string; column: string; match: string }[]>> = {
  customers: [{ index: 'customers_email_unique', column: 'email_normalized', match: 'email_normalized = ?' }],
  users: [{ index: 'users_email_unique', column: 'email_normalized', match: 'email_normalized = ?' }],
  products: [{ index: 'products_sku_unique', column: 'sku', match: 'lower(sku) = lower(?)' }],
  plans: [{ index: 'plans_code_unique', column: 'code', match: 'lower(code) = lower(?)' }],
  coupons: [{ index: 'coupons_code_unique', column: 'code', match: 'upper(code) = upper(?)' }],
  invoices: [{ index: 'invoices_number_unique', column: 'number', match: 'number = ?' }],
  sales: [{ index: 'sales_number_unique', column: 'number', match: 'number = ?' }],
  credit_notes: [{ index: 'credit_notes_number_unique', column: 'number', match: 'number = ?' }],
  subscriptions: [{ index: 'subscriptions_license_key', column: 'license_key', match: 'license_key = ?' }],
};

/** Unique indexes that are not a key two PCs can collide on, and why (a collision there fails the apply loudly). */
export const UNIQUE_NOT_COLLIDING: Readonly<Record<string, string>> = {
  customers_id_unique: 'the row id',
  products_id_unique: 'the row id',
  campaign_recipients_once: 'only the PC that sends a campaign writes its recipients, in the transaction that marks it sending',
  reminders_invoice_step: 'only the billing PC runs payment reminders (as it runs billing: spec guarantee 4)',
  license_machines_fingerprint: 'only the server writes license machines, under a lock on the license key',
  invoices_subscription_period: 'only the billing PC issues subscription invoices (spec guarantee 4; the billing helper merges duplicates)',
  plan_tiers_position: 'tiers are rewritten whole by plans.update on one PC; their ids are new each time',
  subscription_history_seq: 'two PCs changing one subscription offline take the same next number: apply.ts numbers the rows again by creation stamp',
  sync_changes_id_unique: 'local',
};

export function isLocalOnlyTable(name: string): boolean {
  return name in LOCAL_ONLY_TABLES || Object.keys(LOCAL_ONLY_PREFIXES).some((p) => name.startsWith(p));
}

export interface TableShape {
  name: string;
  /** All columns in table order. */
  columns: readonly string[];
  /** Primary-key columns in key order (used when the table has no `id` column). */
  primaryKey: readonly string[];
}

export interface SyncedTable {
  name: string;
  /** The synced columns in table order. */
  columns: string[];
  /** The row identity: `id` when the table has one, else its primary key. */
  key: string[];
  rowFilter: string | undefined;
}

export function syncedTable(shape: TableShape): SyncedTable {
  const rule = TABLE_RULES[shape.name] ?? {};
  const local = new Set(rule.localColumns ?? []);
  const key = shape.columns.includes('id') ? ['id'] : [...shape.primaryKey];
  if (key.length === 0) throw new Error(`table ${shape.name} has neither an id column nor a primary key: it cannot sync`);
  return { name: shape.name, columns: shape.columns.filter((c) => !local.has(c)), key, rowFilter: rule.rowFilter };
}

/** SQL for a row's id over an alias: the key value, or a JSON array of the key columns. */
export function rowIdSql(t: SyncedTable, alias: string): string {
  return t.key.length === 1 ? `${alias}.${t.key[0]}` : `json_array(${t.key.map((k) => `${alias}.${k}`).join(', ')})`;
}

/** A JSON object of every synced column of the row under alias. */
export function fullFieldsSql(t: SyncedTable, alias: string): string {
  return `json_object(${t.columns.map((c) => `'${c}', ${alias}.${c}`).join(', ')})`;
}

/** Milliseconds since the epoch from julianday (unixepoch('subsec') needs SQLite 3.42; Debian's sqlite3 shell is 3.40). */
export const NOW_MS = `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
/** Advances the HLC: ms = max(ms, now + offset); the counter restarts when ms moved, else counts up. */
export const TICK_SQL = `UPDATE sync_clock SET hlc_ms = max(hlc_ms, ${NOW_MS} + offset_ms), hlc_counter = CASE WHEN ${NOW_MS} + offset_ms > hlc_ms THEN 0 ELSE hlc_counter + 1 END`;
/** The stamp: zero-padded ms and counter, then the device id, so it sorts as a string. */
export const STAMP_SQL = `printf('%013d-%09d-%s', hlc_ms, hlc_counter, device_id)`;
const CAPTURING = '(SELECT capture AND NOT applying FROM sync_clock)';

function insertChange(t: SyncedTable, op: 'upsert' | 'delete', alias: string, fields: string, where = ''): string {
  return (
    `INSERT INTO sync_changes (id, hlc, device_id, tbl, row_id, op, fields) ` +
    `SELECT ${STAMP_SQL}, ${STAMP_SQL}, device_id, '${t.name}', ${rowIdSql(t, alias)}, '${op}', ${fields} FROM sync_clock${where};`
  );
}

/** The trigger names of a synced table. */
export function triggerNames(table: string): string[] {
  return [`sync_${table}_insert`, `sync_${table}_update`, `sync_${table}_rekey`, `sync_${table}_delete`];
}

/**
 * The capture triggers of one table: an insert records every synced column;
 * an update only the changed ones (and the values they replaced, under
 * "@base", for conflict detection), nothing when none changed; a change of
 * the key is a delete of the old row and an insert of the new; a delete
 * records the row it removed under "@base".
 */
export function triggerSql(t: SyncedTable): string[] {
  const filter = (alias: string) => (t.rowFilter ? ` AND (${t.rowFilter.replaceAll('R.', `${alias}.`)})` : '');
  const keySame = t.key.map((k) => `OLD.${k} IS NEW.${k}`).join(' AND ');
  const keyChanged = t.key.map((k) => `OLD.${k} IS NOT NEW.${k}`).join(' OR ');
  const valueCols = t.columns.filter((c) => !t.key.includes(c));
  const changed = valueCols.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  const part = (alias: string) =>
    valueCols.map((c) => `CASE WHEN OLD.${c} IS NOT NEW.${c} THEN ',"${c}":' || json_quote(${alias}.${c}) ELSE '' END`).join(' || ');
  const updateFields = `'{' || substr(${part('NEW')}, 2) || ',"@base":{' || substr(${part('OLD')}, 2) || '}}'`;
  const [ins, upd, rekey, del] = triggerNames(t.name);
  const out = [
    `CREATE TRIGGER ${ins} AFTER INSERT ON ${t.name} WHEN ${CAPTURING}${filter('NEW')} BEGIN\n` +
      `  ${TICK_SQL};\n  ${insertChange(t, 'upsert', 'NEW', fullFieldsSql(t, 'NEW'))}\nEND`,
  ];
  if (valueCols.length > 0) {
    out.push(
      `CREATE TRIGGER ${upd} AFTER UPDATE ON ${t.name} WHEN ${CAPTURING}${filter('NEW')} AND ${keySame} AND (${changed}) BEGIN\n` +
        `  ${TICK_SQL};\n  ${insertChange(t, 'upsert', 'NEW', updateFields)}\nEND`,
    );
  }
  out.push(
    `CREATE TRIGGER ${rekey} AFTER UPDATE OF ${t.key.join(', ')} ON ${t.name} WHEN ${CAPTURING}${filter('NEW')} AND (${keyChanged}) BEGIN\n` +
      `  ${TICK_SQL};\n  ${insertChange(t, 'delete', 'OLD', `json_object('@base', ${fullFieldsSql(t, 'OLD')})`)}\n` +
      `  ${TICK_SQL};\n  ${insertChange(t, 'upsert', 'NEW', fullFieldsSql(t, 'NEW'))}\nEND`,
    `CREATE TRIGGER ${del} AFTER DELETE ON ${t.name} WHEN ${CAPTURING}${filter('OLD')} BEGIN\n` +
      `  ${TICK_SQL};\n  ${insertChange(t, 'delete', 'OLD', `json_object('@base', ${fullFieldsSql(t, 'OLD')})`)}\nEND`,
  );
  return out;
}

/** The migration text: drop every sync trigger of these tables (an older generation's), then create them. */
export function triggersMigrationSql(tables: SyncedTable[]): string {
  const statements: string[] = [];
  for (const t of tables) for (const name of triggerNames(t.name)) statements.push(`DROP TRIGGER IF EXISTS ${name};`);
  for (const t of tables) for (const sql of triggerSql(t)) statements.push(`${sql};`);
  return statements.join('\n--> statement-breakpoint\n');
}
