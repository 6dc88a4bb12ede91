import { periodStart } from '@shared/domain/periods';
import { couponApplies, discountFor } from '@shared/domain/invoice-math';
import { segmentsFromHistory, type MovementKind } from '@shared/domain/metrics';
import { cadenceOf, couponTerms, loadCoupon, planAmount, PlanCache } from '../billing/catalog-repo';
import type { SubscriptionRow } from '../billing/rows';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import type { MonthBounds } from './metrics-service';
import { byCustomer, movementAmount, movementKind, withNet, type MonthFigures } from './month-figures';
import { loadSegments, readCoupons, readHistory, readPlans, type Segment } from './segments';

// The dashboard's tables (db/schema/metrics-cache.ts) and how they are kept.
// Triggers (migration 0006_metric_triggers) keep revenue per day, new
// customers per hour and the invoices' open spans exact in the same
// transaction as each write, and mark the customers and subscriptions whose
// MRR steps or next renewal must be recomputed (metric_dirty*). Opening the
// dashboard first folds those marks in (foldDirty), in the same transaction
// as its reads, so it never reads a table that the books have moved past.
// A restored backup, a rolled-back billing run or a killed process leave the
// tables as consistent with their file as the books themselves.

/** Above this many customers to recompute, reading the whole history once is quicker than one by one. */
export const FULL_REBUILD_ABOVE = 3000;

interface Step {
  date: string;
  mrr: number;
  contributes: number;
  trialing: number;
}

/** Whether any mark is waiting to be folded in. */
export function hasDirty(db: BusinessDb): boolean {
  return (
    stmt(db.sqlite, 'SELECT EXISTS (SELECT 1 FROM metric_dirty) OR EXISTS (SELECT 1 FROM metric_dirty_subscriptions)').pluck().get() === 1
  );
}

/**
 * The mark that names everyone (migration 0027): its table is rebuilt whole. A billing run sets it when
 * the fold would rebuild whole anyway (`markAllDirty`), and the triggers stop marking one by one meanwhile.
 */
export const EVERYONE = '*';

/** Recomputes what the triggers marked. Call inside a write transaction. */
export function foldDirty(db: BusinessDb): void {
  const customers = stmt(db.sqlite, 'SELECT customer_id FROM metric_dirty').pluck().all() as string[];
  if (customers.length > FULL_REBUILD_ABOVE || customers.includes(EVERYONE)) rebuildSteps(db);
  else if (customers.length > 0) foldCustomers(db, customers);
  stmt(db.sqlite, 'DELETE FROM metric_dirty').run();
  const subscriptions = stmt(db.sqlite, 'SELECT subscription_id FROM metric_dirty_subscriptions').pluck().all() as string[];
  if (subscriptions.includes(EVERYONE)) rebuildRenewals(db);
  else if (subscriptions.length > 0) foldRenewals(db, subscriptions);
  stmt(db.sqlite, 'DELETE FROM metric_dirty_subscriptions').run();
}

/**
 * Folds the marks in now, in a transaction of its own, if any wait: what the billing worker does once a run
 * has answered, so that the dashboard's next open (on the thread serving the UI) finds nothing to fold. After
 * a big run the fold rebuilds `metric_steps` whole: 4-5 s at 100,000 subscriptions, a freeze of the app if the
 * dashboard paid it. Returns whether there was anything to fold.
 */
export function foldMarksNow(db: BusinessDb): boolean {
  return db.sqlite
    .transaction(() => {
      if (!hasDirty(db)) return false;
      foldDirty(db);
      return true;
    })
    .immediate();
}

/**
 * Marks every customer's steps (`customers`) or every subscription's renewal (`subscriptions`) for the next
 * fold, in the caller's transaction: what a billing run does once it knows the fold will rebuild that table
 * whole anyway, so that the triggers skip their one-by-one marks (each a lookup in an index keyed by a
 * random id) for the rest of the batch.
 */
export function markAllDirty(db: BusinessDb, which: 'customers' | 'subscriptions'): void {
  if (which === 'customers') stmt(db.sqlite, 'INSERT OR IGNORE INTO metric_dirty (customer_id) VALUES (?)').run(EVERYONE);
  else stmt(db.sqlite, 'INSERT OR IGNORE INTO metric_dirty_subscriptions (subscription_id) VALUES (?)').run(EVERYONE);
}

/** A customer's MRR and flags at each date it changes (segments cover [start, end)). */
export function stepsOf(segments: readonly Segment[]): Step[] {
  const dates = [...new Set(segments.flatMap((s) => (s.end === null ? [s.start] : [s.start, s.end])))].sort();
  const out: Step[] = [];
  let last: Step = { date: '', mrr: 0, contributes: 0, trialing: 0 };
  for (const date of dates) {
    const step: Step = { date, mrr: 0, contributes: 0, trialing: 0 };
    for (const s of segments) {
      if (s.start > date || (s.end !== null && date >= s.end)) continue;
      if (s.status === 'trialing') step.trialing = 1;
      else {
        step.mrr += s.mrr;
        step.contributes = 1;
      }
    }
    if (step.mrr !== last.mrr || step.contributes !== last.contributes || step.trialing !== last.trialing) out.push((last = step));
  }
  return out;
}

/** Each step's change on its day, into `days` (sign -1 takes a customer's old steps out). */
function addDeltas(days: Map<string, number[]>, steps: readonly Step[], sign: 1 | -1): void {
  let prev: Step = { date: '', mrr: 0, contributes: 0, trialing: 0 };
  for (const s of steps) {
    const d = days.get(s.date) ?? [0, 0, 0, 0];
    d[0]! += sign * (s.mrr - prev.mrr);
    d[1]! += sign * (Number(s.mrr > 0) - Number(prev.mrr > 0));
    d[2]! += sign * (s.contributes - prev.contributes);
    d[3]! += sign * (s.trialing - prev.trialing);
    days.set(s.date, d);
    prev = s;
  }
}

/** Trials that ended, from one customer's segments: a trialing stretch's end, converted when a paying stretch of the subscription begins then. */
function trialsOf(segments: readonly Segment[]) {
  return segments
    .filter((t) => t.status === 'trialing' && t.end !== null)
    .map((t) => ({ t, converted: segments.some((s) => s.subscriptionId === t.subscriptionId && s.status !== 'trialing' && s.start === t.end) ? 1 : 0 }));
}

function writers(db: BusinessDb) {
  return {
    step: stmt(db.sqlite, 'INSERT INTO metric_steps (customer_id, date, mrr, contributes, trialing) VALUES (?, ?, ?, ?, ?)'),
    trial: stmt(db.sqlite, 'INSERT INTO metric_trials (subscription_id, customer_id, ended_on, converted) VALUES (?, ?, ?, ?)'),
    day: stmt(
      db.sqlite,
      `INSERT INTO metric_days (date, mrr, paying, active, trialing) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (date) DO UPDATE SET mrr = mrr + excluded.mrr, paying = paying + excluded.paying, active = active + excluded.active, trialing = trialing + excluded.trialing`,
    ),
  };
}

function writeCustomer(w: ReturnType<typeof writers>, customerId: string, steps: readonly Step[], segments: readonly Segment[]): void {
  for (const s of steps) w.step.run(customerId, s.date, s.mrr, s.contributes, s.trialing);
  for (const { t, converted } of trialsOf(segments)) w.trial.run(t.subscriptionId, customerId, t.end, converted);
}

function writeDays(db: BusinessDb, w: ReturnType<typeof writers>, days: Map<string, number[]>): void {
  for (const [date, d] of days) if (d.some((x) => x !== 0)) w.day.run(date, ...d);
  stmt(db.sqlite, 'DELETE FROM metric_days WHERE mrr = 0 AND paying = 0 AND active = 0 AND trialing = 0').run();
}

/**
 * Customers whose history rebuildSteps reads at a time, in the order of their ids (a range of the customer
 * index each): the whole history at once held every row and stretch in memory together, 30-40 MB more of the
 * billing worker's heap at 100,000 subscriptions, where the worker folds after a run; and the steps go into
 * metric_steps in the order of its key. A setting only so that tests can make the parts small.
 */
export const rebuildParts = { customersAtATime: 5000 };

/** Every customer's steps from the whole history (a file with no cache yet, or a change touching most customers). */
export function rebuildSteps(db: BusinessDb): void {
  for (const table of ['metric_steps', 'metric_days', 'metric_months', 'metric_trials']) stmt(db.sqlite, `DELETE FROM ${table}`).run();
  const w = writers(db);
  const days = new Map<string, number[]>();
  const plans = readPlans(db);
  const coupons = readCoupons(db);
  const nextCustomers = stmt(db.sqlite, 'SELECT DISTINCT customer_id FROM subscription_history WHERE customer_id > ? ORDER BY customer_id LIMIT ?').pluck();
  for (let after = ''; ; ) {
    const ids = nextCustomers.all(after, rebuildParts.customersAtATime) as string[];
    if (ids.length === 0) break;
    const upTo = ids.at(-1)!;
    const segments = segmentsFromHistory(readHistory(db, { customersAfter: after, customersUpTo: upTo }), plans, coupons);
    for (const [customerId, own] of byCustomer(segments)) {
      const steps = stepsOf(own);
      addDeltas(days, steps, 1);
      writeCustomer(w, customerId, steps, own);
    }
    after = upTo;
  }
  writeDays(db, w, days);
}

function foldCustomers(db: BusinessDb, customers: readonly string[]): void {
  const ids = JSON.stringify(customers);
  const subscriptionIds = stmt(db.sqlite, 'SELECT DISTINCT subscription_id FROM subscription_history WHERE customer_id IN (SELECT value FROM json_each(?))').pluck().all(ids) as string[];
  const grouped = byCustomer(loadSegments(db, subscriptionIds));
  const oldSteps = stmt(db.sqlite, 'SELECT date, mrr, contributes, trialing FROM metric_steps WHERE customer_id = ? ORDER BY date');
  const w = writers(db);
  const days = new Map<string, number[]>();
  const moved: MovedCustomer[] = [];
  for (const customerId of customers) {
    const own = grouped.get(customerId) ?? [];
    const before = oldSteps.all(customerId) as Step[];
    const after = stepsOf(own);
    const changed = firstDifference(before, after);
    stmt(db.sqlite, 'DELETE FROM metric_trials WHERE customer_id = ?').run(customerId);
    if (changed !== null) {
      addDeltas(days, before, -1);
      addDeltas(days, after, 1);
      moved.push({ from: changed, before, after });
      stmt(db.sqlite, 'DELETE FROM metric_steps WHERE customer_id = ?').run(customerId);
      for (const s of after) w.step.run(customerId, s.date, s.mrr, s.contributes, s.trialing);
    }
    for (const { t, converted } of trialsOf(own)) w.trial.run(t.subscriptionId, customerId, t.end, converted);
  }
  writeDays(db, w, days);
  if (moved.length > 0) moveKeptMonths(db, moved);
}

// metric_months keeps each month's movements and churned count, by month when complete and as `month@endDate` up to
// a day before its end (the as-of month: the dashboard's last); the totals (MRR, paying, active, trialing at its start
// and end) are summed from metric_days on each read. A fold moves every kept month by the changed customers' old and
// new steps (moveKeptMonths), so a change does not make the dashboard read again the steps of every customer that
// moved in the month it touched. rebuildSteps empties them with the rest.
const IS_PARTIAL = "instr(month, '@')";
const PARTIALS_KEPT = 6;

/** A month's row in metric_months: the month when complete, `month@endDate` up to a day before its end. */
function keptMonthKey(b: MonthBounds): string {
  return b.endDate === lastDay(b.month) ? b.month : `${b.month}@${b.endDate}`;
}

/** What a month keeps: its bounds, movements and churned count (a complete month's row also holds the totals of when it was kept: not read). */
interface KeptMonth {
  bounds: MonthBounds;
  movements: MonthFigures['movements'];
  churned: number;
}

/** A customer whose steps a fold changed, from the first date they differ. */
interface MovedCustomer {
  from: string;
  before: readonly Step[];
  after: readonly Step[];
}

/** A customer's movement in a month from its steps (by date): as the `moved` statement of maintainedMonthFigures finds it. */
function movementOf(steps: readonly Step[], bounds: MonthBounds): { kind: MovementKind; amount: number } | null {
  let start = 0;
  let end = 0;
  let had = false;
  let within = false;
  for (const s of steps) {
    if (s.date <= bounds.startDate) {
      start = s.mrr;
      if (s.mrr > 0) had = true;
    }
    if (s.date <= bounds.endDate) end = s.mrr;
    if (s.date > bounds.startDate && s.date <= bounds.endDate) within = true;
  }
  if (!within) return null;
  const kind = movementKind(start, end, had);
  return kind ? { kind, amount: movementAmount(kind, start, end) } : null;
}

function addMovement(p: KeptMonth, m: ReturnType<typeof movementOf>, sign: 1 | -1): void {
  if (!m) return;
  p.movements[m.kind] += sign * m.amount;
  if (m.kind === 'churn') p.churned += sign;
}

/** The first date at which two step functions differ, or null when equal. */
function firstDifference(a: readonly Step[], b: readonly Step[]): string | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (!x) return y!.date;
    if (!y) return x.date;
    if (x.date !== y.date) return x.date < y.date ? x.date : y.date;
    if (x.mrr !== y.mrr || x.contributes !== y.contributes || x.trialing !== y.trialing) return x.date;
  }
  return null;
}

type RenewalSub = Pick<SubscriptionRow, 'id' | 'customer_id' | 'plan_id' | 'status' | 'quantity' | 'anchor_date' | 'next_period_index' | 'coupon_id' | 'coupon_applied_on'>;

/** A running subscription's next invoice date and expected amount before tax, as the subscriptions table says now. */
export function nextRenewal(db: BusinessDb, plans: PlanCache, sub: RenewalSub): { date: string; amount: number } {
  const plan = plans.get(sub.plan_id);
  const date = sub.status === 'trialing' ? sub.anchor_date : periodStart(sub.anchor_date, cadenceOf(plan), sub.next_period_index);
  let amount = planAmount(plan, sub.quantity);
  if (sub.coupon_id && sub.coupon_applied_on) {
    const terms = couponTerms(loadCoupon(db, sub.coupon_id), sub.coupon_applied_on);
    if (terms.duration !== 'once' && couponApplies(terms, date, false)) amount -= discountFor(terms, amount);
  }
  return { date, amount };
}

export const RUNNING_SUBSCRIPTIONS = `SELECT id, customer_id, plan_id, status, quantity, anchor_date, next_period_index, coupon_id, coupon_applied_on
  FROM subscriptions WHERE status IN ('active', 'past_due', 'trialing') AND cancel_at_period_end = 0`;

/** Every running subscription's next renewal, from scratch (a '*' mark). */
function rebuildRenewals(db: BusinessDb): void {
  stmt(db.sqlite, 'DELETE FROM metric_renewals').run();
  insertRenewals(db, stmt(db.sqlite, RUNNING_SUBSCRIPTIONS).all() as RenewalSub[]);
}

function foldRenewals(db: BusinessDb, subscriptionIds: readonly string[]): void {
  const ids = JSON.stringify(subscriptionIds);
  stmt(db.sqlite, 'DELETE FROM metric_renewals WHERE subscription_id IN (SELECT value FROM json_each(?))').run(ids);
  insertRenewals(db, stmt(db.sqlite, `SELECT * FROM (${RUNNING_SUBSCRIPTIONS}) WHERE id IN (SELECT value FROM json_each(?))`).all(ids) as RenewalSub[]);
}

function insertRenewals(db: BusinessDb, subs: readonly RenewalSub[]): void {
  const plans = new PlanCache(db);
  const insert = stmt(db.sqlite, 'INSERT INTO metric_renewals (subscription_id, customer_id, plan_id, date, amount) VALUES (?, ?, ?, ?, ?)');
  for (const sub of subs) {
    const { date, amount } = nextRenewal(db, plans, sub);
    insert.run(sub.id, sub.customer_id, sub.plan_id, date, amount);
  }
}

/** Moves each kept month by the customers whose steps changed on or before its end: their old movement out, their new one in. */
function moveKeptMonths(db: BusinessDb, changed: readonly MovedCustomer[]): void {
  const earliest = changed.reduce((a, c) => (c.from < a ? c.from : a), changed[0]!.from);
  // A month ending before a customer's first changed step sees the same steps: only those ending at or after it move.
  const rows = stmt(db.sqlite, 'SELECT month, figures FROM metric_months WHERE month >= ?').raw(true).all(earliest.slice(0, 7)) as [string, string][];
  const save = stmt(db.sqlite, 'UPDATE metric_months SET figures = ? WHERE month = ?');
  for (const [key, json] of rows) {
    const kept = JSON.parse(json) as KeptMonth;
    let touched = false;
    for (const c of changed) {
      if (c.from > kept.bounds.endDate) continue;
      addMovement(kept, movementOf(c.before, kept.bounds), -1);
      addMovement(kept, movementOf(c.after, kept.bounds), 1);
      touched = true;
    }
    if (!touched) continue;
    withNet(kept.movements);
    save.run(JSON.stringify({ bounds: kept.bounds, movements: kept.movements, churned: kept.churned }), key);
  }
}

/** The MRR figures of months, from the steps: sums over the day rows, and the movements of the customers with a step inside each month. */
export function maintainedMonthFigures(db: BusinessDb, months: readonly MonthBounds[], canCache: boolean): MonthFigures[] {
  const days = stmt(db.sqlite, 'SELECT date, mrr, paying, active, trialing FROM metric_days ORDER BY date').raw(true).all() as [string, number, number, number, number][];
  /** Totals at the end of `date`: the sum of the day rows up to it. */
  const at = (date: string) => {
    const t = [0, 0, 0, 0];
    for (const [d, ...v] of days) {
      if (d > date) break;
      for (let i = 0; i < 4; i++) t[i]! += v[i]!;
    }
    return t;
  };
  const cached = stmt(db.sqlite, 'SELECT figures FROM metric_months WHERE month = ?').pluck();
  const moved = stmt(
    db.sqlite,
    `SELECT (SELECT b.mrr FROM metric_steps b WHERE b.customer_id = m.customer_id AND b.date <= @s ORDER BY b.date DESC LIMIT 1),
            (SELECT b.mrr FROM metric_steps b WHERE b.customer_id = m.customer_id AND b.date <= @e ORDER BY b.date DESC LIMIT 1),
            EXISTS (SELECT 1 FROM metric_steps b WHERE b.customer_id = m.customer_id AND b.date <= @s AND b.mrr > 0)
       FROM (SELECT DISTINCT customer_id FROM metric_steps WHERE date > @s AND date <= @e) m`,
  ).raw(true);
  /** The month's movements from the steps of every customer with one inside it. */
  const movementsOf = (bounds: MonthBounds): KeptMonth => {
    const p: KeptMonth = { bounds, movements: { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 }, churned: 0 };
    for (const [s, e, had] of moved.all({ s: bounds.startDate, e: bounds.endDate }) as [number | null, number | null, number][]) {
      const start = s ?? 0;
      const end = e ?? 0;
      const kind = movementKind(start, end, had === 1);
      if (kind) addMovement(p, { kind, amount: movementAmount(kind, start, end) }, 1);
    }
    withNet(p.movements);
    return p;
  };
  return months.map((bounds) => {
    const key = keptMonthKey(bounds);
    const hit = cached.get(key) as string | undefined;
    let kept: KeptMonth;
    if (hit !== undefined) kept = JSON.parse(hit) as KeptMonth;
    else {
      kept = movementsOf(bounds);
      if (canCache) keepMonth(db, key, kept);
    }
    const [mrrAtStart, payingAtStart] = at(bounds.startDate) as [number, number];
    const [mrrAtEnd, , activeAtEnd, trialingAtEnd] = at(bounds.endDate) as [number, number, number, number];
    return { bounds, mrrAtStart, mrrAtEnd, movements: kept.movements, payingAtStart, churned: kept.churned, activeAtEnd, trialingAtEnd };
  });
}

/** Keeps a month's movements; of the months kept up to a day before their end, only the PARTIALS_KEPT latest-ending. */
function keepMonth(db: BusinessDb, key: string, kept: KeptMonth): void {
  stmt(db.sqlite, 'INSERT OR REPLACE INTO metric_months (month, figures) VALUES (?, ?)').run(key, JSON.stringify(kept));
  if (!key.includes('@')) return;
  stmt(
    db.sqlite,
    `DELETE FROM metric_months WHERE ${IS_PARTIAL} > 0 AND month NOT IN
       (SELECT month FROM metric_months WHERE ${IS_PARTIAL} > 0 ORDER BY substr(month, 9) DESC LIMIT ${PARTIALS_KEPT})`,
  ).run();
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** Whether every month among these is kept already, complete or up to its end date (then the dashboard only reads). */
export function monthsCached(db: BusinessDb, months: readonly MonthBounds[]): boolean {
  const has = stmt(db.sqlite, 'SELECT EXISTS (SELECT 1 FROM metric_months WHERE month = ?)').pluck();
  return months.every((b) => has.get(keptMonthKey(b)) === 1);
}

/** Trials that ended in the month and how many became paying, from metric_trials. */
export function maintainedTrialConversion(db: BusinessDb, bounds: { startDate: string; endDate: string }) {
  return stmt(db.sqlite, 'SELECT count(*) AS ended, coalesce(sum(converted), 0) AS converted FROM metric_trials WHERE ended_on > ? AND ended_on <= ?').get(
    bounds.startDate,
    bounds.endDate,
  ) as { ended: number; converted: number };
}

/** Revenue of each month from the per-day sums. */
export function maintainedRevenue(db: BusinessDb, months: readonly MonthBounds[]): number[] {
  const rows = stmt(db.sqlite, 'SELECT substr(date, 1, 7), sum(amount) FROM metric_revenue WHERE date BETWEEN ? AND ? GROUP BY 1').raw(true).all(`${months[0]!.month}-01`, months.at(-1)!.endDate) as [
    string,
    number,
  ][];
  const byMonth = new Map(rows);
  return months.map((m) => byMonth.get(m.month) ?? 0);
}

/** How many customers were created before each instant (sorted ISO strings), from the per-hour counts and the partial hour. */
export function customersBefore(db: BusinessDb, instants: readonly string[]): number[] {
  const hours = stmt(db.sqlite, 'SELECT hour, count FROM metric_customer_hours ORDER BY hour').raw(true).all() as [string, number][];
  const partial = stmt(db.sqlite, 'SELECT count(*) FROM customers WHERE created_at >= ? AND created_at < ?').pluck();
  return instants.map((instant) => {
    const hour = instant.slice(0, 13);
    let n = 0;
    for (const [h, c] of hours) {
      if (h >= hour) break;
      n += c;
    }
    return n + (partial.get(`${hour}:00:00.000Z`, instant) as number);
  });
}
