import type { SubscriptionStatus } from '@shared/domain/billing';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { newId } from '../ids';
import { insertRow, type BatchWrites } from '../db/batch-writes';
import type { SubscriptionRow } from './rows';

const HISTORY_COLUMNS = [
  'id', 'subscription_id', 'customer_id', 'seq', 'effective_date', 'event', 'status', 'plan_id', 'quantity', 'recurring_amount', 'coupon_id', 'coupon_applied_on', 'recorded_at',
] as const;

/**
 * One row of a subscription's effective-dated history: its state from
 * `effectiveDate` on. Metrics for any past date read these rows. `seqs` (the
 * billing run's) remembers each subscription's last seq, so a run asks the
 * database once per subscription rather than once per row, and its `writes`
 * make the row at the end of the batch (db/batch-writes.ts).
 */
export function appendHistory(
  db: BusinessDb,
  sub: Pick<SubscriptionRow, 'id' | 'customer_id' | 'plan_id' | 'quantity' | 'coupon_id' | 'coupon_applied_on'>,
  e: { effectiveDate: string; event: string; status: SubscriptionStatus; recurringAmount: number },
  recordedAt: string,
  seqs?: Map<string, number>,
  writes?: BatchWrites,
): void {
  const last = seqs?.get(sub.id);
  // Rows held in `writes` are never missed here: a subscription has a seq in `seqs` before its first held row.
  const seq = last !== undefined ? last + 1 : (stmt(db.sqlite, 'SELECT coalesce(max(seq), 0) + 1 FROM subscription_history WHERE subscription_id = ?').pluck().get(sub.id) as number);
  seqs?.set(sub.id, seq);
  insertRow(db.sqlite, writes, 'subscription_history', HISTORY_COLUMNS, [
    newId(), sub.id, sub.customer_id, seq, e.effectiveDate, e.event, e.status, sub.plan_id, sub.quantity, e.recurringAmount, sub.coupon_id, sub.coupon_applied_on, recordedAt,
  ]);
}
