import { addDays } from '../../../src-shared/domain/dates';
import type { DraftLine } from '../../../src-shared/domain/invoice-math';
import { couponApplies } from '../../../src-shared/domain/invoice-math';
import { periodStart } from '../../../src-shared/domain/periods';
import type { RunSummary } from '../../../src-shared/domain/billing';
import { writeAudit } from '../audit/audit';
import { recordCustomerEvent } from '../customers/timeline';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { Agenda } from './agenda';
import { billingSettings, cadenceOf, couponTerms, loadCoupon, planAmount, PlanCache } from './catalog-repo';
import { appendHistory } from './history';
import { attemptCollection, emptyCounters, issueInvoice, money, type WriteContext } from './invoice-writer';
import type { SubscriptionRow } from './rows';

// The billing run (spec 3-7): everything due on or before `asOf`, applied in
// date order across all subscriptions, in batches of transactions. A run
// killed between batches loses nothing committed and double-issues nothing:
// the next run rebuilds the agenda from the database and carries on in the
// same order. Idempotent: a period is invoiced once ((subscription, period
// start) is unique), and a second run as of the same date finds nothing due.

export interface RunOptions {
  asOf: string;
  /** Subscription steps per transaction. */
  batchSize?: number;
  /** Wall-clock stamp for created_at columns (not a billing input). */
  now: () => Date;
  userId?: string | null;
  onBatch?: (progress: { processed: number; summary: RunSummary }) => void;
  /** Checked between batches: a run asked to stop ends cleanly there. */
  shouldStop?: () => boolean;
}

/** The next date this subscription has something to do, or null. */
function nextEventDate(db: BusinessDb, sub: SubscriptionRow, plans: PlanCache): string | null {
  const dates: string[] = [];
  const retry = stmt(db.sqlite, "SELECT min(next_retry_on) FROM invoices WHERE subscription_id = ? AND status = 'open' AND next_retry_on IS NOT NULL")
    .pluck()
    .get(sub.id) as string | null;
  if (retry) dates.push(retry);
  const scheduled = stmt(db.sqlite, 'SELECT min(effective_date) FROM scheduled_changes WHERE subscription_id = ? AND applied_at IS NULL AND canceled_at IS NULL')
    .pluck()
    .get(sub.id) as string | null;
  if (scheduled) dates.push(scheduled);
  if (sub.status === 'trialing') dates.push(sub.anchor_date);
  const canceledBy = sub.canceled_at;
  const start = periodStart(sub.anchor_date, cadenceOf(plans.get(sub.plan_id)), sub.next_period_index);
  if (sub.status !== 'trialing' && (canceledBy === null || start < canceledBy)) dates.push(start);
  return dates.length ? dates.reduce((a, b) => (a < b ? a : b)) : null;
}

export function runBilling(db: BusinessDb, opts: RunOptions): RunSummary {
  const batchSize = opts.batchSize ?? 500;
  const plans = new PlanCache(db);
  const counters = emptyCounters();
  const summary = (): RunSummary => ({ asOf: opts.asOf, ...counters });
  const getSub = stmt(db.sqlite, 'SELECT * FROM subscriptions WHERE id = ?');

  // The agenda: every subscription that may have something due by asOf.
  const agenda = new Agenda();
  const candidates = stmt(
    db.sqlite,
    `SELECT * FROM subscriptions WHERE status <> 'canceled' OR canceled_at > current_period_start
     UNION SELECT s.* FROM subscriptions s JOIN invoices i ON i.subscription_id = s.id WHERE i.status = 'open' AND i.next_retry_on IS NOT NULL`,
  ).all() as SubscriptionRow[];
  for (const sub of candidates) {
    const date = nextEventDate(db, sub, plans);
    if (date && date <= opts.asOf) agenda.push(date, sub.id);
  }

  let processed = 0;
  while (agenda.size > 0) {
    if (opts.shouldStop?.()) break;
    const before = { ...counters };
    db.sqlite
      .transaction(() => {
        const ctx: WriteContext = { db, settings: billingSettings(db), at: opts.now().toISOString(), userId: opts.userId ?? null, counters };
        for (let n = 0; n < batchSize && agenda.size > 0; n++) {
          const next = agenda.pop()!;
          const sub = getSub.get(next.id) as SubscriptionRow;
          stepSubscription(ctx, plans, sub, next.date);
          processed++;
          const after = getSub.get(next.id) as SubscriptionRow;
          const date = nextEventDate(db, after, plans);
          if (date && date <= opts.asOf) {
            if (date <= next.date) throw new Error(`billing made no progress on subscription ${next.id} at ${next.date}`);
            agenda.push(date, next.id);
          }
        }
        const changed = (Object.keys(counters) as (keyof typeof counters)[]).some((k) => counters[k] !== before[k]);
        if (changed) {
          writeAudit(db.orm, { userId: opts.userId ?? null, userEmail: null }, opts.now(), {
            action: 'billing.run',
            entity: 'billing',
            entityId: null,
            after: { asOf: opts.asOf, ...Object.fromEntries((Object.keys(counters) as (keyof typeof counters)[]).map((k) => [k, counters[k] - before[k]])) },
          });
        }
      })
      .immediate();
    opts.onBatch?.({ processed, summary: summary() });
  }
  return summary();
}

/** Everything one subscription has to do on `date`, in a fixed order. */
function stepSubscription(ctx: WriteContext, plans: PlanCache, sub: SubscriptionRow, date: string): void {
  const { db } = ctx;
  // 1. Retries of its unpaid invoices due today (oldest first).
  const retries = stmt(
    db.sqlite,
    "SELECT id FROM invoices WHERE subscription_id = ? AND status = 'open' AND next_retry_on <= ? ORDER BY issue_date, number",
  ).pluck().all(sub.id, date) as string[];
  for (const invoiceId of retries) retry(ctx, plans, invoiceId, date);

  // 2. Changes that were waiting for today (a new plan at period end, a cancel at period end).
  const scheduled = stmt(
    db.sqlite,
    'SELECT * FROM scheduled_changes WHERE subscription_id = ? AND effective_date <= ? AND applied_at IS NULL AND canceled_at IS NULL ORDER BY effective_date, created_at, id',
  ).all(sub.id, date) as { id: string; kind: string; effective_date: string; plan_id: string | null; quantity: number | null }[];
  for (const change of scheduled) {
    const current = stmt(db.sqlite, 'SELECT * FROM subscriptions WHERE id = ?').get(sub.id) as SubscriptionRow;
    if (change.kind === 'cancel' && current.status !== 'canceled') cancelSubscription(ctx, plans, current, change.effective_date, 'canceled_at_period_end');
    if (change.kind === 'change' && current.status !== 'canceled') {
      const planId = change.plan_id ?? current.plan_id;
      const quantity = change.quantity ?? current.quantity;
      stmt(db.sqlite, 'UPDATE subscriptions SET plan_id = ?, quantity = ?, updated_at = ? WHERE id = ?').run(planId, quantity, ctx.at, sub.id);
      const updated = { ...current, plan_id: planId, quantity };
      appendHistory(db, updated, { effectiveDate: change.effective_date, event: 'changed', status: current.status, recurringAmount: planAmount(plans.get(planId), quantity) }, ctx.at);
    }
    stmt(db.sqlite, 'UPDATE scheduled_changes SET applied_at = ? WHERE id = ?').run(ctx.at, change.id);
  }

  // 3. The end of a trial.
  let current = stmt(db.sqlite, 'SELECT * FROM subscriptions WHERE id = ?').get(sub.id) as SubscriptionRow;
  if (current.status === 'trialing' && current.anchor_date === date) {
    stmt(db.sqlite, "UPDATE subscriptions SET status = 'active', updated_at = ? WHERE id = ?").run(ctx.at, sub.id);
    appendHistory(db, current, { effectiveDate: date, event: 'trial_ended', status: 'active', recurringAmount: planAmount(plans.get(current.plan_id), current.quantity) }, ctx.at);
    current = { ...current, status: 'active' };
  }

  // 4. The period starting today, billed in advance.
  const plan = plans.get(current.plan_id);
  const cadence = cadenceOf(plan);
  const start = periodStart(current.anchor_date, cadence, current.next_period_index);
  if (start !== date || current.status === 'trialing') return;
  if (current.canceled_at !== null && current.canceled_at <= date) return;
  const pausedNow = current.status === 'paused' && current.paused_at !== null && current.paused_at <= date;
  const end = periodStart(current.anchor_date, cadence, current.next_period_index + 1);
  if (pausedNow) {
    // A period starting while paused is not invoiced (spec 7).
    stmt(db.sqlite, 'UPDATE subscriptions SET next_period_index = next_period_index + 1, updated_at = ? WHERE id = ?').run(ctx.at, sub.id);
    return;
  }
  issuePeriod(ctx, plans, current, start, end);
}

function issuePeriod(ctx: WriteContext, plans: PlanCache, sub: SubscriptionRow, start: string, end: string): void {
  const { db } = ctx;
  const plan = plans.get(sub.plan_id);
  const amount = planAmount(plan, sub.quantity);
  const charges: DraftLine[] = [
    {
      kind: 'recurring',
      description: `${plan.name}${sub.quantity > 1 ? ` x ${sub.quantity}` : ''}`,
      quantity: sub.quantity,
      unitAmount: plan.pricing_model === 'flat' ? plan.unit_amount : null,
      amount,
      periodStart: start,
      periodEnd: end,
    },
  ];
  if (!sub.setup_fee_invoiced && plan.setup_fee > 0) {
    charges.push({ kind: 'setup_fee', description: `Setup fee (${plan.name})`, quantity: 1, unitAmount: plan.setup_fee, amount: plan.setup_fee, periodStart: null, periodEnd: null });
  }
  const pending = stmt(
    db.sqlite,
    'SELECT id, description, quantity, amount, period_start, period_end FROM pending_items WHERE subscription_id = ? AND invoice_id IS NULL AND created_on <= ? ORDER BY created_on, id',
  ).all(sub.id, start) as { id: string; description: string; quantity: number; amount: number; period_start: string | null; period_end: string | null }[];
  for (const p of pending) {
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
  for (const p of pending) stmt(db.sqlite, 'UPDATE pending_items SET invoice_id = ? WHERE id = ?').run(invoice.id, p.id);
  stmt(
    db.sqlite,
    `UPDATE subscriptions SET next_period_index = next_period_index + 1, current_period_start = ?, current_period_end = ?,
       setup_fee_invoiced = 1, license_expires_on = CASE WHEN license_key IS NULL THEN NULL ELSE ? END, updated_at = ? WHERE id = ?`,
  ).run(start, end, end, ctx.at, sub.id);
  collectNew(ctx, plans, sub, invoice.id, start);
}

/** The coupon's terms if it discounts an invoice of this subscription issued on `date`. */
export function activeCoupon(ctx: WriteContext, sub: SubscriptionRow, date: string) {
  if (!sub.coupon_id || !sub.coupon_applied_on) return null;
  const coupon = loadCoupon(ctx.db, sub.coupon_id);
  const terms = couponTerms(coupon, sub.coupon_applied_on);
  const invoicedSince =
    terms.duration === 'once' &&
    stmt(ctx.db.sqlite, "SELECT 1 FROM invoices WHERE subscription_id = ? AND issue_date >= ? AND status <> 'void' LIMIT 1").get(sub.id, sub.coupon_applied_on) !== undefined;
  return couponApplies(terms, date, invoicedSince) ? terms : null;
}

/** The first attempt on an invoice just issued; a failure makes the subscription past_due and schedules retries. */
export function collectNew(ctx: WriteContext, plans: PlanCache, sub: SubscriptionRow, invoiceId: string, date: string): void {
  const outcome = attemptCollection(ctx, invoiceId, date);
  if (outcome !== 'failed') return;
  scheduleRetryOrGiveUp(ctx, plans, invoiceId, date);
}

function retry(ctx: WriteContext, plans: PlanCache, invoiceId: string, date: string): void {
  const { db } = ctx;
  const outcome = attemptCollection(ctx, invoiceId, date);
  if (outcome === null) {
    // The customer now pays by hand: no more automatic attempts.
    stmt(db.sqlite, 'UPDATE invoices SET next_retry_on = NULL, updated_at = ? WHERE id = ?').run(ctx.at, invoiceId);
    return;
  }
  const inv = stmt(db.sqlite, 'SELECT subscription_id FROM invoices WHERE id = ?').get(invoiceId) as { subscription_id: string | null };
  if (outcome === 'succeeded') {
    if (inv.subscription_id) recoverIfSettled(ctx, plans, inv.subscription_id, date);
    return;
  }
  scheduleRetryOrGiveUp(ctx, plans, invoiceId, date);
}

/** After a failed attempt: the next retry of the schedule, or uncollectible and the subscription canceled. */
function scheduleRetryOrGiveUp(ctx: WriteContext, plans: PlanCache, invoiceId: string, date: string): void {
  const { db, settings } = ctx;
  const inv = stmt(db.sqlite, 'SELECT id, number, issue_date, attempt_count, subscription_id, customer_id FROM invoices WHERE id = ?').get(invoiceId) as {
    id: string;
    number: string;
    issue_date: string;
    attempt_count: number;
    subscription_id: string | null;
    customer_id: string;
  };
  const retriesMade = inv.attempt_count - 1;
  const sub = inv.subscription_id ? (stmt(db.sqlite, 'SELECT * FROM subscriptions WHERE id = ?').get(inv.subscription_id) as SubscriptionRow) : null;
  if (retriesMade < settings.dunningDays.length) {
    const nextRetry = addDays(inv.issue_date, settings.dunningDays[retriesMade]!);
    stmt(db.sqlite, 'UPDATE invoices SET next_retry_on = ?, updated_at = ? WHERE id = ?').run(nextRetry, ctx.at, inv.id);
    if (sub && sub.status === 'active') {
      stmt(db.sqlite, "UPDATE subscriptions SET status = 'past_due', updated_at = ? WHERE id = ?").run(ctx.at, sub.id);
      appendHistory(db, sub, { effectiveDate: date, event: 'payment_failed', status: 'past_due', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at);
    }
    return;
  }
  // The last retry failed (spec 5): uncollectible, and the subscription ends today.
  stmt(db.sqlite, "UPDATE invoices SET status = 'uncollectible', uncollectible_on = ?, next_retry_on = NULL, updated_at = ? WHERE id = ?").run(date, ctx.at, inv.id);
  recordCustomerEvent(
    db,
    { customerId: inv.customer_id, kind: 'system', subtype: 'uncollectible', title: `${inv.number} marked uncollectible after the last retry`, occurredAt: `${date}T00:00:00.000Z`, userId: ctx.userId, refType: 'invoice', refId: inv.id },
    ctx.at,
  );
  if (sub && sub.status !== 'canceled') cancelSubscription(ctx, plans, sub, date, 'canceled_unpaid');
}

/** A successful payment returns a past_due subscription to active, unless another invoice is still failing. */
export function recoverIfSettled(ctx: WriteContext, plans: PlanCache, subscriptionId: string, date: string): void {
  const { db } = ctx;
  const sub = stmt(db.sqlite, 'SELECT * FROM subscriptions WHERE id = ?').get(subscriptionId) as SubscriptionRow;
  if (sub.status !== 'past_due') return;
  const stillFailing = stmt(db.sqlite, "SELECT 1 FROM invoices WHERE subscription_id = ? AND status = 'open' AND attempt_count > 0 AND amount_due > 0 LIMIT 1").get(sub.id);
  if (stillFailing) return;
  stmt(db.sqlite, "UPDATE subscriptions SET status = 'active', updated_at = ? WHERE id = ?").run(ctx.at, sub.id);
  appendHistory(db, sub, { effectiveDate: date, event: 'recovered', status: 'active', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at);
}

export function cancelSubscription(ctx: WriteContext, plans: PlanCache, sub: SubscriptionRow, date: string, event: string): void {
  const { db } = ctx;
  stmt(
    db.sqlite,
    "UPDATE subscriptions SET status = 'canceled', canceled_at = ?, cancel_at = coalesce(cancel_at, ?), cancel_at_period_end = 0, updated_at = ? WHERE id = ?",
  ).run(date, date, ctx.at, sub.id);
  appendHistory(db, sub, { effectiveDate: date, event, status: 'canceled', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at);
  recordCustomerEvent(
    db,
    {
      customerId: sub.customer_id,
      kind: 'system',
      subtype: 'canceled',
      title: event === 'canceled_unpaid' ? 'Subscription canceled: the last payment retry failed' : 'Subscription canceled',
      body: `${plans.get(sub.plan_id).name}, ${money(planAmount(plans.get(sub.plan_id), sub.quantity), ctx.settings)}`,
      occurredAt: `${date}T00:00:00.000Z`,
      userId: ctx.userId,
      refType: 'subscription',
      refId: sub.id,
    },
    ctx.at,
  );
  ctx.counters.subscriptionsCanceled++;
}

