import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { addDays, startOfMonth } from '@shared/domain/dates';
import { addMonths } from '@shared/domain/periods';
import type { BusinessDb } from '../db/open';
import * as schema from '../db/schema';
import { runBilling } from './engine';

export interface Simulation {
  from: string;
  currency: string;
  months: { month: string; invoices: number; amount: number; collected: number }[];
}

/**
 * "What will I bill next quarter?": the real engine, run forward on an
 * in-memory copy of the business, so nothing is written to the file and no
 * lock is held on it. Months are calendar months, the first from `from` on.
 */
export function simulate(source: Database.Database, from: string, months: number, now: () => Date, nativeBinding?: string): Simulation {
  // A WAL-mode image cannot be opened in memory: bytes 18-19 of the header say "WAL"; mark it a plain rollback file.
  const image = source.serialize();
  image[18] = 1;
  image[19] = 1;
  const copy = new Database(image, nativeBinding ? { nativeBinding } : {});
  try {
    copy.pragma('foreign_keys = ON');
    const db: BusinessDb = { businessId: 'simulation', file: ':memory:', sqlite: copy, orm: drizzle(copy, { schema }) };
    const end = addMonths(startOfMonth(from), months);
    runBilling(db, { asOf: addDays(end, -1), now, batchSize: 100_000 });
    const invoiced = copy
      .prepare(
        `SELECT substr(issue_date, 1, 7) AS month, count(*) AS invoices, coalesce(sum(total), 0) AS amount
           FROM invoices WHERE issue_date >= ? AND issue_date < ? AND status <> 'void' GROUP BY month`,
      )
      .all(from, end) as { month: string; invoices: number; amount: number }[];
    const collected = copy
      .prepare(
        `SELECT month, sum(amount) AS collected FROM (
           SELECT substr(paid_on, 1, 7) AS month, amount FROM payments WHERE status = 'succeeded' AND paid_on >= ? AND paid_on < ?
           UNION ALL SELECT substr(refunded_on, 1, 7), -amount FROM refunds WHERE refunded_on >= ? AND refunded_on < ?)
         GROUP BY month`,
      )
      .all(from, end, from, end) as { month: string; collected: number }[];
    const currency = copy.prepare('SELECT currency FROM business').pluck().get() as string;
    const result: Simulation = { from, currency, months: [] };
    for (let i = 0; i < months; i++) {
      const month = addMonths(startOfMonth(from), i).slice(0, 7);
      const inv = invoiced.find((r) => r.month === month);
      result.months.push({ month, invoices: inv?.invoices ?? 0, amount: inv?.amount ?? 0, collected: collected.find((r) => r.month === month)?.collected ?? 0 });
    }
    return result;
  } finally {
    copy.close();
  }
}
