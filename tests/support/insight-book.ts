import { seedChurnBook } from '../../bench/insights-churn-data';
import type { Core } from '../../src-main/core/core';
import type { BusinessDb } from '../../src-main/core/db/open';
import { newId } from '../../src-main/core/ids';
import { makeCore, signUp } from './core';

/**
 * The insights property tests' book: the bench's churn book of `customers` (seeded), ten customers
 * with no history at all (so some can be deleted), and, with env BREAK_TRIGGER=<name>, that trigger
 * dropped (to see the test fail as it should).
 */
export async function insightBook(customers: number, seed: number): Promise<{ core: Core; db: BusinessDb }> {
  const { core } = makeCore();
  const { businessId } = await signUp(core, { timezone: 'UTC' });
  const db = core.businesses.get(businessId);
  seedChurnBook(db.sqlite, customers, seed);
  const insert = db.sqlite.prepare("INSERT INTO customers (id, name, email, email_normalized, segment, created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?)");
  for (let i = 0; i < 10; i++) insert.run(newId(), `Bare ${i}`, `bare${i}@example.com`, `bare${i}@example.com`, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
  const broken = process.env.BREAK_TRIGGER;
  if (broken) db.sqlite.exec(`DROP TRIGGER ${broken}`);
  return { core, db };
}
