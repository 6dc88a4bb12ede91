import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { readCoupons, readPlans } from '../metrics/segments';

// What a change to everyone ('*' in insight_changes: a plan, a coupon or the currency written) moved. A timeline
// reads of the plans only what readPlans gives (interval and count: monthly or not, the segments' MRR) and of the
// coupons what readCoupons gives (the discount and its months); the currency is a label of the answers and the
// churn model's (modelHoldsFor). So the kept ledger (and the file's snapshot) keeps the rows it was built with,
// and on a '*' only the customers whose subscription history names a plan or coupon whose row moved are built
// again: a plan's price (unit_amount is not read: a subscription's amount is its history row's), name or code moves
// no one. Read after the seq and before the timelines, so any change the rows kept miss has a larger seq.

export interface Catalog {
  /** Plan id: its row as read (JSON). */
  plans: Record<string, string>;
  /** Coupon id: its row as read (JSON). */
  coupons: Record<string, string>;
  currency: string;
}

export function readCatalog(db: BusinessDb): Catalog {
  const plans: Record<string, string> = {};
  for (const p of readPlans(db)) plans[p.id] = JSON.stringify(p);
  const coupons: Record<string, string> = {};
  for (const c of readCoupons(db)) coupons[c.id] = JSON.stringify(c);
  return { plans, coupons, currency: stmt(db.sqlite, 'SELECT currency FROM business LIMIT 1').pluck().get() as string };
}

/** The ids whose rows differ between two reads (added, removed or changed). */
function moved(was: Record<string, string>, now: Record<string, string>): string[] {
  const out: string[] = [];
  for (const id of Object.keys(now)) if (was[id] !== now[id]) out.push(id);
  for (const id of Object.keys(was)) if (!(id in now)) out.push(id);
  return out;
}

export interface Resolved {
  /** Every customer changed: named in insight_changes, or by a plan or coupon that moved. */
  ids: string[];
  /**
   * Those of `ids` moved only by a plan or coupon (not named in insight_changes since): their rows in the books are
   * as they were (a customer's row, history and insight_customer_days each name it when written), only the plan and
   * coupon rows their history names moved, so only their stretches and subscriptions are another.
   */
  byCatalog: string[];
  catalog: Catalog | undefined;
  currencyMoved: boolean;
}

/**
 * The customers changed since a seq (insight_changes' ids above it) with '*' replaced by the customers whose
 * history names a plan or coupon that moved since `was` was read, and the catalog now. Null when `was` is unknown
 * (a snapshot of an older format): the caller reads whole. `currencyMoved`: the answers' currency is another.
 */
export function resolveChanged(db: BusinessDb, ids: readonly string[], was: Catalog | undefined): Resolved | null {
  if (!ids.includes('*')) return { ids: [...ids], byCatalog: [], catalog: was, currencyMoved: false };
  if (!was) return null;
  const now = readCatalog(db);
  const plans = moved(was.plans, now.plans);
  const coupons = moved(was.coupons, now.coupons);
  const out = new Set(ids.filter((id) => id !== '*'));
  // A coupon's customers: a range of the (coupon, customer) index of the rows that have a coupon (migration 0028,
  // partial, so the history a billing run writes without one costs it nothing), no row of the history read. A plan's:
  // a scan of the history (0.6 s cold at 100,000), only when its interval moved (a price, name or code moves no one),
  // which is rare; an index of every row's plan had cost each billing run a third more pages read and written.
  if (coupons.length > 0) {
    const touched = stmt(db.sqlite, 'SELECT DISTINCT customer_id FROM subscription_history WHERE coupon_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(coupons)) as string[];
    for (const id of touched) out.add(id);
  }
  if (plans.length > 0) {
    const touched = stmt(db.sqlite, 'SELECT DISTINCT customer_id FROM subscription_history WHERE plan_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(plans)) as string[];
    for (const id of touched) out.add(id);
  }
  const byId = new Set(ids);
  return { ids: [...out], byCatalog: [...out].filter((id) => !byId.has(id)), catalog: now, currencyMoved: now.currency !== was.currency };
}
