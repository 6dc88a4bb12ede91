import { performance } from 'node:perf_hooks';
import { addDays } from '@shared/domain/dates';
import type { DraftLine } from '@shared/domain/invoice-math';
import { couponApplies } from '@shared/domain/invoice-math';
import { periodStart, type Cadence } from '@shared/domain/periods';
import type { RunSummary } from '@shared/domain/billing';
import { writeAudit } from '../audit/audit';
import { recordCustomerEvent } from '../customers/timeline';
import type Database from 'better-sqlite3';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { Agenda } from './agenda';
import { billingSettings, cadenceOf, couponTerms, loadCoupon, planAmount, PlanCache } from './catalog-repo';
import { appendHistory } from './history';
import {
  BatchNumbering,
  collectRetry,
  customerBilling,
  emptyCounters,
  issueInvoice,
  money,
  type CustomerBilling,
  type DunningInvoice,
  type IssuedInvoice,
  type WriteContext,
} from './invoice-writer';
import { BILLED_SUBSCRIPTION_COLUMNS, type BilledSubscription } from './rows';

// The billing run (spec 3-7): everything due on or before `asOf`, applied in
// (date, subscription) order across all subscriptions, in batches of
// transactions. That order is the same for one run over three months as for
// daily runs, so the result is path-independent, numbers included. A run
// killed between batches loses nothing committed and double-issues nothing:
// the next run rebuilds the agenda from the database and carries on in the
// same order. A period is invoiced once: (subscription, period start) is unique.

export interface RunOptions {
  asOf: string;
  /** At most this many subscription steps per transaction. */
  batchSize?: number;
  /**
   * A batch also ends after this long. Every commit writes the pages its batch
   * touched to the WAL, and a run over many dates touches the same index pages
   * in every batch: few, long batches write far less. The app's own writes do
   * not freeze meanwhile: the dispatcher waits for them without blocking.
   */
  batchMs?: number;
  /** Wall-clock stamp for created_at columns (not a billing input). */
  now: () => Date;
  userId?: string | null;
  onBatch?: (progress: { processed: number; summary: RunSummary }) => void;
  /** Checked between batches: a run asked to stop ends cleanly there. */
  shouldStop?: () => boolean;
  /** Filled with where the time went (the benchmark reports it). */
  timings?: RunTimings;
}

/** Where a run's time goes, in milliseconds of wall time. */
export interface RunTimings {
  /** Reading the agenda: due subscriptions, customers, open retries, scheduled changes. */
  agendaMs: number;
  /** The steps themselves, inside the batches' transactions. */
  stepsMs: number;
  /** COMMIT of each batch: the pages it changed, written to the WAL. */
  commitMs: number;
  batches: number;
  /** Between batches: the lease renewed and the run's record updated (run-recorder). */
  betweenBatchesMs: number;
  /** The WAL checkpoint after the run (run-recorder). */
  checkpointMs: number;
}

export function emptyTimings(): RunTimings {
  return { agendaMs: 0, stepsMs: 0, commitMs: 0, batches: 0, betweenBatchesMs: 0, checkpointMs: 0 };
}

/** What the run knows of a subscription besides its row: its next retry and next scheduled change. */
interface Pending {
  nextRetry: string | null;
  nextScheduled: string | null;
  /** The start of period `startIndex` on the grid of (`startAnchor`, `startPlan`): date math done once per period, not three times. */
  startIndex: number;
  startPlan: string;
  startAnchor: string;
  start: string;
}

function newPending(nextRetry: string | null, nextScheduled: string | null): Pending {
  return { nextRetry, nextScheduled, startIndex: -1, startPlan: '', startAnchor: '', start: '' };
}

/** The start of the subscription's next period (`next_period_index`), remembered in `pending`. */
function nextPeriodStart(sub: BilledSubscription, pending: Pending, cadence: Cadence): string {
  if (pending.startIndex !== sub.next_period_index || pending.startPlan !== sub.plan_id || pending.startAnchor !== sub.anchor_date) {
    pending.start = periodStart(sub.anchor_date, cadence, sub.next_period_index);
    pending.startIndex = sub.next_period_index;
    pending.startPlan = sub.plan_id;
    pending.startAnchor = sub.anchor_date;
  }
  return pending.start;
}

/**
 * An open invoice of a subscription waiting for an automatic retry. The run
 * holds all of them in memory (read in one query, then kept up to date by its
 * own writes), so a retry reads nothing.
 */
interface RetryingInvoice extends DunningInvoice {
  amountDue: number;
  nextRetryOn: string;
}

function loadRetrying(db: BusinessDb): Map<string, RetryingInvoice[]> {
  const bySubscription = new Map<string, RetryingInvoice[]>();
  const rows = stmt(
    db.sqlite,
    `SELECT subscription_id, id, number, issue_date, customer_id, amount_due, attempt_count, next_retry_on
       FROM invoices WHERE status = 'open' AND next_retry_on IS NOT NULL AND subscription_id IS NOT NULL`,
  )
    .raw()
    .all() as [string, string, string, string, string, number, number, string][];
  for (const [subscriptionId, id, number, issueDate, customerId, amountDue, attempts, nextRetryOn] of rows) {
    let list = bySubscription.get(subscriptionId);
    if (!list) bySubscription.set(subscriptionId, (list = []));
    list.push({ id, number, issueDate, customerId, attempts, amountDue, nextRetryOn });
  }
  return bySubscription;
}

function earliestRetry(list: RetryingInvoice[] | undefined): string | null {
  let earliest: string | null = null;
  if (list) for (const i of list) if (earliest === null || i.nextRetryOn < earliest) earliest = i.nextRetryOn;
  return earliest;
}

/** The next date this subscription has something to do, or null (from memory: no query). */
function nextEventDate(sub: BilledSubscription, pending: Pending, cadence: Cadence): string | null {
  let next = pending.nextRetry;
  if (pending.nextScheduled !== null && (next === null || pending.nextScheduled < next)) next = pending.nextScheduled;
  let due: string | null = null;
  if (sub.status === 'trialing') due = sub.anchor_date;
  else {
    const start = nextPeriodStart(sub, pending, cadence);
    if (sub.canceled_at === null || start < sub.canceled_at) due = start;
  }
  if (due !== null && (next === null || due < next)) next = due;
  return next;
}

const minScheduledSql = 'SELECT min(effective_date) FROM scheduled_changes WHERE subscription_id = ? AND applied_at IS NULL AND canceled_at IS NULL';

export function runBilling(db: BusinessDb, opts: RunOptions): RunSummary {
  const batchSize = opts.batchSize ?? 100_000;
  const batchMs = opts.batchMs ?? 2000;
  const timings = opts.timings ?? emptyTimings();
  const loadStarted = performance.now();
  const plans = new PlanCache(db);
  const cadences = new Map<string, Cadence>();
  const cadence = (planId: string) => {
    let c = cadences.get(planId);
    if (!c) cadences.set(planId, (c = cadenceOf(plans.get(planId))));
    return c;
  };
  const counters = emptyCounters();
  const summary = (): RunSummary => ({ asOf: opts.asOf, ...counters });
  const columns = BILLED_SUBSCRIPTION_COLUMNS.join(', ');
  const getSub = stmt(db.sqlite, `SELECT ${columns} FROM subscriptions WHERE id = ?`);

  // The agenda: every subscription that may have something due by asOf, loaded in a few queries.
  const rows = rowsAsObjects<BilledSubscription>(
    stmt(
      db.sqlite,
      `SELECT ${columns} FROM subscriptions WHERE status <> 'canceled' OR canceled_at > coalesce(current_period_end, anchor_date)
         OR id IN (SELECT subscription_id FROM invoices WHERE status = 'open' AND next_retry_on IS NOT NULL)`,
    ),
  );
  let retrying = loadRetrying(db);
  const scheduled = new Map(
    stmt(db.sqlite, 'SELECT subscription_id, min(effective_date) FROM scheduled_changes WHERE applied_at IS NULL AND canceled_at IS NULL GROUP BY subscription_id')
      .raw()
      .all() as [string, string][],
  );
  const pending = new Map<string, Pending>();
  const agenda = new Agenda();
  // Rows, customers, history seqs and open retries are kept in memory between steps, valid as long as no
  // other connection writes: PRAGMA data_version tells, and each batch checks it inside its transaction
  // (where nobody else can write).
  const subs = new Map(rows.map((r) => [r.id, r]));
  // All customers' credit and payment method in one query, rather than one per invoice.
  const customers = new Map<string, CustomerBilling>(
    (stmt(db.sqlite, 'SELECT id, credit_balance, payment_method FROM customers').raw().all() as [string, number, CustomerBilling['payment_method']][]).map(
      ([id, credit_balance, payment_method]) => [id, { credit_balance, payment_method }],
    ),
  );
  const historySeqs = new Map<string, number>();
  // Subscriptions with proration lines waiting: the others need not look.
  const withPendingItems = new Set(stmt(db.sqlite, 'SELECT DISTINCT subscription_id FROM pending_items WHERE invoice_id IS NULL').pluck().all() as string[]);
  const dataVersion = stmt(db.sqlite, 'PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get() as number;
  for (const sub of rows) {
    const p = newPending(earliestRetry(retrying.get(sub.id)), scheduled.get(sub.id) ?? null);
    pending.set(sub.id, p);
    const date = nextEventDate(sub, p, cadence(sub.plan_id));
    if (date && date <= opts.asOf) agenda.push(date, sub.id);
  }
  timings.agendaMs += performance.now() - loadStarted;

  let processed = 0;
  while (agenda.size > 0) {
    if (opts.shouldStop?.()) break;
    const before = { ...counters };
    const batchStarted = performance.now();
    let stepsMs = 0;
    db.sqlite
      .transaction(() => {
        const numbering = new BatchNumbering(db);
        const fresh = dataVersion.get() !== seenVersion;
        if (fresh) {
          customers.clear();
          subs.clear();
          historySeqs.clear();
          retrying = loadRetrying(db);
          for (const id of stmt(db.sqlite, 'SELECT DISTINCT subscription_id FROM pending_items WHERE invoice_id IS NULL').pluck().all() as string[]) withPendingItems.add(id);
        }
        const ctx: RunContext = {
          db,
          settings: billingSettings(db),
          at: opts.now().toISOString(),
          userId: opts.userId ?? null,
          counters,
          numbering,
          customers,
          historySeqs,
          retrying,
          cadence,
        };
        const started = performance.now();
        for (let n = 0; n < batchSize && agenda.size > 0; n++) {
          if ((n & 63) === 63 && performance.now() - started > batchMs) break;
          const next = agenda.pop()!;
          // Someone else wrote since the last batch (the app): read the row afresh.
          let sub = subs.get(next.id);
          if (!sub) {
            sub = getSub.get(next.id) as BilledSubscription;
            subs.set(next.id, sub);
          }
          const p = pending.get(next.id)!;
          stepSubscription(ctx, plans, sub, p, next.date, withPendingItems.has(sub.id));
          processed++;
          const date = nextEventDate(sub, p, cadence(sub.plan_id));
          if (date && date <= opts.asOf) {
            if (date <= next.date) throw new Error(`billing made no progress on subscription ${next.id} at ${next.date}`);
            agenda.push(date, next.id);
          }
        }
        numbering.save();
        const changed = (Object.keys(counters) as (keyof typeof counters)[]).some((k) => counters[k] !== before[k]);
        if (changed) {
          writeAudit(db.orm, { userId: opts.userId ?? null, userEmail: null }, opts.now(), {
            action: 'billing.run',
            entity: 'billing',
            entityId: null,
            after: { asOf: opts.asOf, ...Object.fromEntries((Object.keys(counters) as (keyof typeof counters)[]).map((k) => [k, counters[k] - before[k]])) },
          });
        }
        stepsMs = performance.now() - batchStarted;
      })
      .immediate();
    timings.stepsMs += stepsMs;
    timings.commitMs += performance.now() - batchStarted - stepsMs;
    timings.batches++;
    seenVersion = dataVersion.get() as number;
    opts.onBatch?.({ processed, summary: summary() });
  }
  return summary();
}

/**
 * All rows of a statement as plain objects, built from raw arrays: about three
 * times faster than better-sqlite3's own row objects for a large result.
 */
function rowsAsObjects<T>(statement: Database.Statement): T[] {
  const names = statement.columns().map((c) => c.name);
  // One object literal with a fixed shape (V8 gives it a fast hidden class), instead of keys added one by one.
  const make = new Function('v', `return { ${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')} };`) as (v: unknown[]) => T;
  const rows = statement.raw(true).all() as unknown[][];
  statement.raw(false);
  return rows.map(make);
}

/** A batch's write context, with the open retries the run keeps in memory. */
interface RunContext extends WriteContext {
  retrying: Map<string, RetryingInvoice[]>;
  cadence: (planId: string) => Cadence;
}

/** Everything one subscription has to do on `date`, in a fixed order. `sub` and `pending` are kept up to date. */
function stepSubscription(ctx: RunContext, plans: PlanCache, sub: BilledSubscription, pending: Pending, date: string, hasPendingItems: boolean): void {
  const { db } = ctx;
  // 1. Retries of its unpaid invoices due today (oldest first).
  if (pending.nextRetry !== null && pending.nextRetry <= date) {
    const open = ctx.retrying.get(sub.id);
    if (open) {
      const due = open.filter((i) => i.nextRetryOn <= date).sort((a, b) => (a.issueDate !== b.issueDate ? (a.issueDate < b.issueDate ? -1 : 1) : a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
      for (const invoice of due) retry(ctx, plans, sub, invoice, open, date);
      if (open.length === 0) ctx.retrying.delete(sub.id);
    }
    pending.nextRetry = earliestRetry(ctx.retrying.get(sub.id));
  }

  // 2. Changes that were waiting for today (a new plan at period end, a cancel at period end).
  if (pending.nextScheduled !== null && pending.nextScheduled <= date) {
    const changes = stmt(
      db.sqlite,
      'SELECT * FROM scheduled_changes WHERE subscription_id = ? AND effective_date <= ? AND applied_at IS NULL AND canceled_at IS NULL ORDER BY effective_date, created_at, id',
    ).all(sub.id, date) as { id: string; kind: string; effective_date: string; plan_id: string | null; quantity: number | null }[];
    for (const change of changes) {
      if (change.kind === 'cancel' && sub.status !== 'canceled') cancelSubscription(ctx, plans, sub, change.effective_date, 'canceled_at_period_end');
      if (change.kind === 'change' && sub.status !== 'canceled') {
        sub.plan_id = change.plan_id ?? sub.plan_id;
        sub.quantity = change.quantity ?? sub.quantity;
        stmt(db.sqlite, 'UPDATE subscriptions SET plan_id = ?, quantity = ?, updated_at = ? WHERE id = ?').run(sub.plan_id, sub.quantity, ctx.at, sub.id);
        appendHistory(db, sub, { effectiveDate: change.effective_date, event: 'changed', status: sub.status, recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs);
      }
      stmt(db.sqlite, 'UPDATE scheduled_changes SET applied_at = ? WHERE id = ?').run(ctx.at, change.id);
    }
    pending.nextScheduled = stmt(db.sqlite, minScheduledSql).pluck().get(sub.id) as string | null;
  }

  // 3. The end of a trial.
  if (sub.status === 'trialing' && sub.anchor_date === date) {
    sub.status = 'active';
    stmt(db.sqlite, "UPDATE subscriptions SET status = 'active', updated_at = ? WHERE id = ?").run(ctx.at, sub.id);
    appendHistory(db, sub, { effectiveDate: date, event: 'trial_ended', status: 'active', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs);
  }

  // 4. The period starting today, billed in advance.
  if (sub.status === 'trialing') return;
  const cadence = ctx.cadence(sub.plan_id);
  const start = nextPeriodStart(sub, pending, cadence);
  if (start !== date) return;
  if (sub.canceled_at !== null && sub.canceled_at <= date) return;
  if (sub.status === 'paused' && sub.paused_at !== null && sub.paused_at <= date) {
    // A period starting while paused is not invoiced (spec 7).
    sub.next_period_index++;
    stmt(db.sqlite, 'UPDATE subscriptions SET next_period_index = ?, updated_at = ? WHERE id = ?').run(sub.next_period_index, ctx.at, sub.id);
    return;
  }
  const end = periodStart(sub.anchor_date, cadence, sub.next_period_index + 1);
  const invoice = issuePeriod(ctx, plans, sub, start, end, hasPendingItems);
  // The period after it starts where this one ends.
  pending.startIndex = sub.next_period_index;
  pending.start = end;
  const retryOn = afterFirstAttempt(ctx, plans, sub, invoice, date);
  if (retryOn !== null) {
    let open = ctx.retrying.get(sub.id);
    if (!open) ctx.retrying.set(sub.id, (open = []));
    open.push({ id: invoice.id, number: invoice.number, issueDate: date, customerId: sub.customer_id, attempts: 1, amountDue: invoice.totals.amountDue, nextRetryOn: retryOn });
    if (pending.nextRetry === null || retryOn < pending.nextRetry) pending.nextRetry = retryOn;
  }
}

function issuePeriod(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, start: string, end: string, hasPendingItems: boolean): IssuedInvoice {
  const { db } = ctx;
  const plan = plans.get(sub.plan_id);
  const charges: DraftLine[] = [
    {
      kind: 'recurring',
      description: `${plan.name}${sub.quantity > 1 ? ` x ${sub.quantity}` : ''}`,
      quantity: sub.quantity,
      unitAmount: plan.pricing_model === 'flat' ? plan.unit_amount : null,
      amount: planAmount(plan, sub.quantity),
      periodStart: start,
      periodEnd: end,
    },
  ];
  if (!sub.setup_fee_invoiced && plan.setup_fee > 0) {
    charges.push({ kind: 'setup_fee', description: `Setup fee (${plan.name})`, quantity: 1, unitAmount: plan.setup_fee, amount: plan.setup_fee, periodStart: null, periodEnd: null });
  }
  const items = (!hasPendingItems ? [] : stmt(
    db.sqlite,
    'SELECT id, description, quantity, amount, period_start, period_end FROM pending_items WHERE subscription_id = ? AND invoice_id IS NULL AND created_on <= ? ORDER BY created_on, id',
  ).all(sub.id, start)) as { id: string; description: string; quantity: number; amount: number; period_start: string | null; period_end: string | null }[];
  for (const p of items) {
    charges.push({ kind: 'proration', description: p.description, quantity: p.quantity, unitAmount: null, amount: p.amount, periodStart: p.period_start, periodEnd: p.period_end });
  }
  const invoice = issueInvoice(ctx, {
    customerId: sub.customer_id,
    subscriptionId: sub.id,
    kind: 'subscription',
    periodKey: start,
    issueDate: start,
    periodStart: start,
    periodEnd: end,
    charges,
    coupon: activeCoupon(ctx, sub, start),
  });
  for (const p of items) stmt(db.sqlite, 'UPDATE pending_items SET invoice_id = ? WHERE id = ?').run(invoice.id, p.id);
  sub.next_period_index++;
  sub.setup_fee_invoiced = 1;
  // A licensed subscription's license now runs to the period's end (the run does not keep periods in memory).
  stmt(
    db.sqlite,
    `UPDATE subscriptions SET next_period_index = ?, current_period_start = ?, current_period_end = ?, setup_fee_invoiced = 1,
       license_expires_on = coalesce(?, license_expires_on), updated_at = ? WHERE id = ?`,
  ).run(sub.next_period_index, start, end, sub.license_key !== null ? end : null, ctx.at, sub.id);
  return invoice;
}

/** The coupon's terms if it discounts an invoice of this subscription issued on `date`. */
export function activeCoupon(ctx: WriteContext, sub: Pick<BilledSubscription, 'id' | 'coupon_id' | 'coupon_applied_on'>, date: string) {
  if (!sub.coupon_id || !sub.coupon_applied_on) return null;
  const coupon = loadCoupon(ctx.db, sub.coupon_id);
  const terms = couponTerms(coupon, sub.coupon_applied_on);
  const invoicedSince =
    terms.duration === 'once' &&
    stmt(ctx.db.sqlite, "SELECT 1 FROM invoices INDEXED BY invoices_subscription_period WHERE subscription_id = ? AND issue_date >= ? AND status <> 'void' LIMIT 1").get(sub.id, sub.coupon_applied_on) !== undefined;
  return couponApplies(terms, date, invoicedSince) ? terms : null;
}

/** After an invoice's first attempt: a failure makes the subscription past_due and schedules retries. Returns the retry date. */
export function afterFirstAttempt(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, invoice: IssuedInvoice, date: string): string | null {
  if (invoice.collection !== 'failed') return null;
  return scheduleRetryOrGiveUp(ctx, plans, sub, { id: invoice.id, number: invoice.number, issueDate: date, customerId: sub.customer_id, attempts: 1 }, date);
}

/** One retry of an open invoice of `sub`; `open` (the subscription's open retries) is kept up to date. */
function retry(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, invoice: RetryingInvoice, open: RetryingInvoice[], date: string): void {
  const outcome = collectRetry(ctx, invoice, invoice.amountDue, customerBilling(ctx, invoice.customerId).payment_method, date);
  const next = outcome === 'failed' ? scheduleRetryOrGiveUp(ctx, plans, sub, invoice, date) : null;
  if (next !== null) {
    invoice.nextRetryOn = next;
    return;
  }
  open.splice(open.indexOf(invoice), 1);
  if (outcome === null) {
    // The customer now pays by hand: no more automatic attempts.
    stmt(ctx.db.sqlite, 'UPDATE invoices SET next_retry_on = NULL, updated_at = ? WHERE id = ?').run(ctx.at, invoice.id);
  } else if (outcome === 'succeeded') recoverIfSettled(ctx, plans, sub, date);
}

/** After a failed attempt: the next retry of the schedule, or uncollectible and the subscription canceled. */
function scheduleRetryOrGiveUp(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription | null, inv: DunningInvoice, date: string): string | null {
  const { db, settings } = ctx;
  const retriesMade = inv.attempts - 1;
  if (retriesMade < settings.dunningDays.length) {
    const nextRetry = addDays(inv.issueDate, settings.dunningDays[retriesMade]!);
    stmt(db.sqlite, 'UPDATE invoices SET attempt_count = ?, next_retry_on = ?, updated_at = ? WHERE id = ?').run(inv.attempts, nextRetry, ctx.at, inv.id);
    if (sub && sub.status === 'active') {
      sub.status = 'past_due';
      stmt(db.sqlite, "UPDATE subscriptions SET status = 'past_due', updated_at = ? WHERE id = ?").run(ctx.at, sub.id);
      appendHistory(db, sub, { effectiveDate: date, event: 'payment_failed', status: 'past_due', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs);
    }
    return nextRetry;
  }
  // The last retry failed (spec 5): uncollectible, and the subscription ends today.
  stmt(db.sqlite, "UPDATE invoices SET status = 'uncollectible', attempt_count = ?, uncollectible_on = ?, next_retry_on = NULL, updated_at = ? WHERE id = ?").run(inv.attempts, date, ctx.at, inv.id);
  recordCustomerEvent(
    db,
    { customerId: inv.customerId, kind: 'system', subtype: 'uncollectible', title: `${inv.number} marked uncollectible after the last retry`, occurredAt: `${date}T00:00:00.000Z`, userId: ctx.userId, refType: 'invoice', refId: inv.id },
    ctx.at,
  );
  if (sub && sub.status !== 'canceled') cancelSubscription(ctx, plans, sub, date, 'canceled_unpaid');
  return null;
}

/** A successful payment returns a past_due subscription to active, unless another invoice is still failing. */
export function recoverIfSettled(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, date: string): void {
  const { db } = ctx;
  if (sub.status !== 'past_due') return;
  const stillFailing = stmt(db.sqlite, "SELECT 1 FROM invoices INDEXED BY invoices_subscription_period WHERE subscription_id = ? AND status = 'open' AND attempt_count > 0 AND amount_due > 0 LIMIT 1").get(sub.id);
  if (stillFailing) return;
  sub.status = 'active';
  stmt(db.sqlite, "UPDATE subscriptions SET status = 'active', updated_at = ? WHERE id = ?").run(ctx.at, sub.id);
  appendHistory(db, sub, { effectiveDate: date, event: 'recovered', status: 'active', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs);
}

export function cancelSubscription(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, date: string, event: string): void {
  const { db } = ctx;
  sub.status = 'canceled';
  sub.canceled_at = date;
  sub.cancel_at ??= date;
  sub.cancel_at_period_end = 0;
  stmt(db.sqlite, "UPDATE subscriptions SET status = 'canceled', canceled_at = ?, cancel_at = ?, cancel_at_period_end = 0, updated_at = ? WHERE id = ?").run(
    date, sub.cancel_at, ctx.at, sub.id,
  );
  appendHistory(db, sub, { effectiveDate: date, event, status: 'canceled', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs);
  const plan = plans.get(sub.plan_id);
  recordCustomerEvent(
    db,
    {
      customerId: sub.customer_id,
      kind: 'system',
      subtype: 'canceled',
      title: event === 'canceled_unpaid' ? 'Subscription canceled: the last payment retry failed' : 'Subscription canceled',
      body: `${plan.name}, ${money(planAmount(plan, sub.quantity), ctx.settings)}`,
      occurredAt: `${date}T00:00:00.000Z`,
      userId: ctx.userId,
      refType: 'subscription',
      refId: sub.id,
    },
    ctx.at,
  );
  ctx.counters.subscriptionsCanceled++;
}
