import type { BusinessDb } from './open';
import { stmt } from './statements';

// The settings table: small values read and written whole, as JSON (the billing
// run's lease, the saved customer views, the recovery key's hash).

export function readSetting<T>(db: BusinessDb, key: string): T | null {
  const json = stmt(db.sqlite, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  return json === undefined ? null : (JSON.parse(json) as T);
}

export function writeSetting(db: BusinessDb, key: string, value: unknown, at: string): void {
  stmt(db.sqlite, 'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
    key,
    JSON.stringify(value),
    at,
  );
}

export function deleteSetting(db: BusinessDb, key: string): void {
  stmt(db.sqlite, 'DELETE FROM settings WHERE key = ?').run(key);
}

/** The business's time zone (its file holds one business row). */
export function businessTimezone(db: BusinessDb): string {
  return stmt(db.sqlite, 'SELECT timezone FROM business LIMIT 1').pluck().get() as string;
}

/** The business's currency code. */
export function businessCurrency(db: BusinessDb): string {
  return stmt(db.sqlite, 'SELECT currency FROM business LIMIT 1').pluck().get() as string;
}
