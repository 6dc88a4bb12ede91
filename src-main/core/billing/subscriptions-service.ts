import { addDays, daysBetween } from '@shared/domain/dates';
import type { ChangeMode } from '@shared/domain/billing';
import { computeInvoice, type DraftLine } from '@shared/domain/invoice-math';
import { firstPeriodOnOrAfter, periodStart, sameCadence } from '@shared/domain/periods';
import { prorate } from '@shared/domain/pricing';
import { recordCustomerEvent } from '../customers/timeline';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { conflict, notFound, validation } from '../errors';
import { newId } from '../ids';
import { billingSettings, cadenceOf, checkPeriodAmount, loadPlan, planAmount, PlanCache } from './catalog-repo';
import { activeCoupon, afterFirstAttempt, cancelSubscription, pendingLine, type PendingItemRow } from './engine';
import { appendHistory } from './history';
import { emptyCounters, issueInvoice, type Counters, type WriteContext } from './invoice-writer';
import type { LoadedPlan, SubscriptionRow } from './rows';
import { licenseKeyFor } from './license';
import { newSubscriptionProblem, newSubscriptionRows, type CouponFacts, type NewSubscriptionFacts, type NewSubscriptionProblem } from '@shared/domain/subscription-create';
import { getSubscriptionRow } from './subscription-dto';
import { billingRefusal } from '../sync-client/billing-device';

// What people do to subscriptions (spec 4, 6, 7). Every date comes from the
// request; nothing reads the clock. Each function runs inside the caller's
// transaction.

export interface ActionContext {
  db: BusinessDb;
  at: string;
  userId: string | null;
}

function writeContext(a: ActionContext, counters: Counters = emptyCounters()): WriteContext {
  return { db: a.db, settings: billingSettings(a.db), at: a.at, userId: a.userId, counters };
}

/** A request's coupon code as stored (compared ignoring case), or null. */
function couponByCode(db: BusinessDb, code: string): CouponFacts | null {
  return (stmt(db.sqlite, 'SELECT * FROM coupons WHERE upper(code) = upper(?)').get(code) as CouponFacts | undefined) ?? null;
}

/** The pure rules' problem as the PC's error, naming the field. */
function refuse(problem: NewSubscriptionProblem): never {
  throw problem.kind === 'not_found' ? notFound(problem.message, problem.field) : validation(problem.field, problem.message);
}

/** A new subscription: the checks and rows of src-shared/domain/subscription-create.ts (the REST API's POST makes the same rows), inserted here. */
export function createSubscription(
  a: ActionContext,
  input: { customerId: string; planId: string; startDate: string; quantity: number; couponCode?: string | undefined; trialDays?: number | undefined; withLicenseKey: boolean; licenseKey?: string | undefined },
): SubscriptionRow {
  const { db } = a;
  const customer = (stmt(db.sqlite, 'SELECT id, name, status FROM customers WHERE id = ?').get(input.customerId) as NewSubscriptionFacts['customer'] | undefined) ?? null;
  const planExists = customer !== null && stmt(db.sqlite, 'SELECT 1 FROM plans WHERE id = ?').get(input.planId) !== undefined;
  const facts: NewSubscriptionFacts = {
    customer,
    plan: planExists ? loadPlan(db, input.planId) : null,
    coupon: input.couponCode ? couponByCode(db, input.couponCode) : undefined,
    currency: billingSettings(db).currency,
  };
  const problem = newSubscriptionProblem(input, facts);
  if (problem) refuse(problem);
  const rows = newSubscriptionRows(input, facts as Parameters<typeof newSubscriptionRows>[1], {
    ids: { subscription: newId(), history: newId(), event: newId() },
    at: a.at,
    userId: a.userId,
    licenseKey: licenseKeyFor(db, input.licenseKey, input.withLicenseKey),
  });
  insertRows(db, 'subscriptions', [rows.subscription]);
  if (rows.couponRedeemed) stmt(db.sqlite, 'UPDATE coupons SET times_redeemed = times_redeemed + 1 WHERE id = ?').run(rows.couponRedeemed.id);
  insertRows(db, 'subscription_history', [rows.history]);
  insertRows(db, 'customer_events', [rows.event]);
  return getSubscriptionRow(db, rows.subscription.id);
}

/** Inserts rows of one table (every key of the first row a column). */
function insertRows(db: BusinessDb, table: string, rows: readonly object[]): void {
  const columns = Object.keys(rows[0]!);
  const insert = stmt(db.sqlite, `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  for (const row of rows) insert.run(row);
}

export interface ChangeRequest {
  id: string;
  planId?: string | undefined;
  quantity?: number | undefined;
  on: string;
  mode: ChangeMode;
}

/** A change worked out in full, before anything is written: the preview shows exactly this. */
interface ChangePlan {
  sub: SubscriptionRow;
  oldPlan: LoadedPlan;
  newPlan: LoadedPlan;
  quantity: number;
  kind: 'trial' | 'scheduled' | 'prorate' | 'invoice_now' | 'new_interval';
  effectiveOn: string;
  prorationLines: DraftLine[];
  /** For new_interval: the recurring line of the new plan's first period. */
  newPeriod: { start: string; end: string } | null;
}

function planChange(db: BusinessDb, req: ChangeRequest): ChangePlan {
  const sub = getSubscriptionRow(db, req.id);
  if (sub.status === 'canceled') throw conflict('This subscription is canceled; reactivate it first', 'id');
  const oldPlan = loadPlan(db, sub.plan_id);
  const newPlan = req.planId ? loadPlan(db, req.planId) : oldPlan;
  if (newPlan.archived_at && newPlan.id !== oldPlan.id) throw validation('planId', `The plan ${newPlan.name} is archived`);
  const quantity = req.quantity ?? sub.quantity;
  if (newPlan.id === oldPlan.id && quantity === sub.quantity) throw validation('planId', 'Choose another plan or quantity: nothing would change');
  checkPeriodAmount(newPlan, quantity, 'quantity');
  const base = { sub, oldPlan, newPlan, quantity, prorationLines: [] as DraftLine[], newPeriod: null };
  if (sub.status === 'trialing') return { ...base, kind: 'trial', effectiveOn: req.on };

  const ps = sub.current_period_start;
  const pe = sub.current_period_end;
  if (!ps || !pe) throw conflict('This subscription has no billed period yet: run billing first', 'on');
  if (req.on < ps || req.on >= pe) {
    throw validation('on', `The change date must be within the current period, ${ps} to ${addDays(pe, -1)}`);
  }
  const f = { used: daysBetween(req.on, pe), of: daysBetween(ps, pe) };
  const oldAmount = planAmount(oldPlan, sub.quantity);
  const newAmount = planAmount(newPlan, quantity);
  const credit: DraftLine = {
    kind: 'proration',
    description: `Unused time on ${oldPlan.name}${sub.quantity > 1 ? ` x ${sub.quantity}` : ''} (${req.on} to ${addDays(pe, -1)})`,
    quantity: 1,
    unitAmount: null,
    amount: -prorate(oldAmount, f.used, f.of),
    periodStart: req.on,
    periodEnd: pe,
  };
  if (!sameCadence(cadenceOf(oldPlan), cadenceOf(newPlan))) {
    // A new interval takes effect at once whatever the mode (spec 6).
    const newCadence = cadenceOf(newPlan);
    return { ...base, kind: 'new_interval', effectiveOn: req.on, prorationLines: [credit], newPeriod: { start: req.on, end: periodStart(req.on, newCadence, 1) } };
  }
  if (req.mode === 'at_period_end') return { ...base, kind: 'scheduled', effectiveOn: pe };
  const charge: DraftLine = {
    kind: 'proration',
    description: `Remaining time on ${newPlan.name}${quantity > 1 ? ` x ${quantity}` : ''} (${req.on} to ${addDays(pe, -1)})`,
    quantity: 1,
    unitAmount: null,
    amount: prorate(newAmount, f.used, f.of),
    periodStart: req.on,
    periodEnd: pe,
  };
  return { ...base, kind: req.mode === 'invoice_now' ? 'invoice_now' : 'prorate', effectiveOn: req.on, prorationLines: [credit, charge] };
}

function recurringLine(plan: LoadedPlan, quantity: number, start: string, end: string): DraftLine {
  return {
    kind: 'recurring',
    description: `${plan.name}${quantity > 1 ? ` x ${quantity}` : ''}`,
    quantity,
    unitAmount: plan.pricing_model === 'flat' ? plan.unit_amount : null,
    amount: planAmount(plan, quantity),
    periodStart: start,
    periodEnd: end,
  };
}

function pendingLines(db: BusinessDb, subId: string): DraftLine[] {
  return (
    stmt(
      db.sqlite,
      'SELECT id, kind, description, quantity, amount, period_start, period_end, product_id FROM pending_items WHERE subscription_id = ? AND invoice_id IS NULL ORDER BY created_on, id',
    ).all(subId) as PendingItemRow[]
  ).map(pendingLine);
}

/** The invoice a change issues at once (invoice_now, or a new interval). */
function immediateCharges(db: BusinessDb, plan: ChangePlan): DraftLine[] | null {
  if (plan.kind === 'invoice_now') return plan.prorationLines;
  if (plan.kind === 'new_interval') {
    return [recurringLine(plan.newPlan, plan.quantity, plan.newPeriod!.start, plan.newPeriod!.end), ...plan.prorationLines, ...pendingLines(db, plan.sub.id)];
  }
  return null;
}

export function previewChange(a: ActionContext, req: ChangeRequest) {
  const { db } = a;
  const plan = planChange(db, req);
  const settings = billingSettings(db);
  const ctx = writeContext(a);
  const credit = (stmt(db.sqlite, 'SELECT credit_balance FROM customers WHERE id = ?').pluck().get(plan.sub.customer_id) as number) ?? 0;
  const totalsOf = (issueDate: string, charges: DraftLine[], sub: SubscriptionRow, creditBalance: number) => {
    const t = computeInvoice({ charges, coupon: activeCoupon(ctx, sub, issueDate), taxPpm: settings.taxPpm, creditBalance });
    return { issueDate, lines: t.lines, subtotal: t.subtotal, discount: t.discount, tax: t.tax, total: t.total, amountDue: t.amountDue, creditLeft: creditBalance - t.creditApplied + t.creditGained };
  };
  const now = immediateCharges(db, plan);
  const invoiceNow = now ? totalsOf(plan.effectiveOn, now, plan.sub, credit) : null;
  // The next regular invoice. In a trial the change applies at once and
  // nothing has been billed yet: that is the first invoice, when the trial
  // ends, at the new plan's price and cadence (what the customer will pay).
  const cadence = plan.kind === 'new_interval' || plan.kind === 'trial' ? cadenceOf(plan.newPlan) : cadenceOf(plan.oldPlan);
  const anchor = plan.kind === 'new_interval' ? plan.effectiveOn : plan.sub.anchor_date;
  const index = plan.kind === 'new_interval' ? 1 : plan.sub.next_period_index;
  const start = periodStart(anchor, cadence, index);
  const charges = [recurringLine(plan.newPlan, plan.quantity, start, periodStart(anchor, cadence, index + 1))];
  if (plan.kind !== 'new_interval') {
    if (!plan.sub.setup_fee_invoiced && plan.newPlan.setup_fee > 0) {
      charges.push({ kind: 'setup_fee', description: `Setup fee (${plan.newPlan.name})`, quantity: 1, unitAmount: plan.newPlan.setup_fee, amount: plan.newPlan.setup_fee, periodStart: null, periodEnd: null });
    }
    charges.push(...pendingLines(db, plan.sub.id));
    if (plan.kind === 'prorate') charges.push(...plan.prorationLines);
  }
  const nextInvoice = totalsOf(start, charges, plan.sub, invoiceNow ? invoiceNow.creditLeft : credit);
  const strip = (t: ReturnType<typeof totalsOf> | null) =>
    t ? { issueDate: t.issueDate, lines: t.lines, subtotal: t.subtotal, discount: t.discount, tax: t.tax, taxRatePpm: t.tax !== 0 ? settings.taxPpm : null, total: t.total, amountDue: t.amountDue } : null;
  return { effectiveOn: plan.effectiveOn, prorationLines: plan.prorationLines, invoiceNow: strip(invoiceNow), nextInvoice: strip(nextInvoice), currency: settings.currency, trialEndsOn: plan.kind === 'trial' ? plan.sub.trial_end : null };
}

/** Applies a change; returns the invoice id when one was issued at once. */
export function changeSubscription(a: ActionContext, req: ChangeRequest): string | null {
  const { db } = a;
  const plan = planChange(db, req);
  const { sub, newPlan, quantity } = plan;
  const plans = new PlanCache(db);
  if (plan.kind === 'new_interval' || plan.kind === 'invoice_now') {
    // Such a change issues an invoice and charges the card at once: only the billing PC does that (sync guarantee 4).
    const refusal = billingRefusal(db);
    if (refusal) {
      throw conflict(
        `This change invoices and charges at once, which only the billing PC does. ${refusal} Or choose to make the change at the end of the period.`,
        'mode',
      );
    }
  }
  if (plan.kind === 'scheduled') {
    stmt(db.sqlite, "UPDATE scheduled_changes SET canceled_at = ? WHERE subscription_id = ? AND kind = 'change' AND applied_at IS NULL AND canceled_at IS NULL").run(a.at, sub.id);
    stmt(
      db.sqlite,
      "INSERT INTO scheduled_changes (id, subscription_id, kind, effective_date, plan_id, quantity, created_at) VALUES (?, ?, 'change', ?, ?, ?, ?)",
    ).run(newId(), sub.id, plan.effectiveOn, newPlan.id, quantity, a.at);
    return null;
  }
  let invoiceId: string | null = null;
  if (plan.kind === 'new_interval') {
    const period = plan.newPeriod!;
    const ctx = writeContext(a);
    const charges = immediateCharges(db, plan)!;
    const invoice = issueInvoice(ctx, {
      customerId: sub.customer_id,
      subscriptionId: sub.id,
      kind: 'subscription',
      periodKey: period.start,
      issueDate: period.start,
      periodStart: period.start,
      periodEnd: period.end,
      charges,
      coupon: activeCoupon(ctx, sub, period.start),
    });
    stmt(db.sqlite, 'UPDATE pending_items SET invoice_id = ? WHERE subscription_id = ? AND invoice_id IS NULL').run(invoice.id, sub.id);
    stmt(
      db.sqlite,
      `UPDATE subscriptions SET plan_id = ?, quantity = ?, anchor_date = ?, next_period_index = 1, current_period_start = ?,
         current_period_end = ?, setup_fee_invoiced = 1, updated_at = ? WHERE id = ?`,
    ).run(newPlan.id, quantity, period.start, period.start, period.end, a.at, sub.id);
    afterFirstAttempt(ctx, plans, { ...getSubscriptionRow(db, sub.id) }, invoice, period.start);
    invoiceId = invoice.id;
  } else {
    stmt(db.sqlite, 'UPDATE subscriptions SET plan_id = ?, quantity = ?, updated_at = ? WHERE id = ?').run(newPlan.id, quantity, a.at, sub.id);
    if (plan.kind === 'prorate') {
      const insert = stmt(
        db.sqlite,
        `INSERT INTO pending_items (id, subscription_id, customer_id, kind, description, quantity, amount, period_start, period_end, created_on, created_at)
         VALUES (?, ?, ?, 'proration', ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const l of plan.prorationLines) insert.run(newId(), sub.id, sub.customer_id, l.description, l.quantity, l.amount, l.periodStart, l.periodEnd, plan.effectiveOn, a.at);
    }
    if (plan.kind === 'invoice_now') {
      const ctx = writeContext(a);
      const invoice = issueInvoice(ctx, {
        customerId: sub.customer_id,
        subscriptionId: sub.id,
        kind: 'change',
        periodKey: null,
        issueDate: plan.effectiveOn,
        periodStart: plan.effectiveOn,
        periodEnd: sub.current_period_end,
        charges: plan.prorationLines,
        coupon: activeCoupon(ctx, sub, plan.effectiveOn),
      });
      afterFirstAttempt(ctx, plans, getSubscriptionRow(db, sub.id), invoice, plan.effectiveOn);
      invoiceId = invoice.id;
    }
  }
  const current = getSubscriptionRow(db, sub.id);
  appendHistory(db, current, { effectiveDate: plan.effectiveOn, event: 'changed', status: current.status === 'trialing' ? 'trialing' : current.status, recurringAmount: planAmount(newPlan, quantity) }, a.at);
  recordCustomerEvent(
    db,
    {
      customerId: sub.customer_id,
      kind: 'system',
      subtype: 'changed',
      title: newPlan.id !== plan.oldPlan.id ? `Changed plan to ${newPlan.name}` : `Changed quantity to ${quantity}`,
      body: `From ${plan.oldPlan.name} x ${sub.quantity}`,
      occurredAt: `${plan.effectiveOn}T00:00:00.000Z`,
      userId: a.userId,
      refType: 'subscription',
      refId: sub.id,
    },
    a.at,
  );
  return invoiceId;
}

export function cancel(a: ActionContext, input: { id: string; on: string; atPeriodEnd: boolean; prorate: boolean }): void {
  const { db } = a;
  const sub = getSubscriptionRow(db, input.id);
  if (sub.status === 'canceled') throw conflict('This subscription is already canceled', 'id');
  const plans = new PlanCache(db);
  const plan = plans.get(sub.plan_id);
  if (input.atPeriodEnd) {
    // In a trial the "period" ends with the trial: no invoice, ever (spec 4).
    const end = sub.status === 'trialing' ? sub.anchor_date : sub.current_period_end;
    if (!end) throw conflict('This subscription has no billed period yet: run billing first, or cancel now', 'atPeriodEnd');
    stmt(db.sqlite, "UPDATE scheduled_changes SET canceled_at = ? WHERE subscription_id = ? AND kind = 'cancel' AND applied_at IS NULL AND canceled_at IS NULL").run(a.at, sub.id);
    stmt(db.sqlite, "INSERT INTO scheduled_changes (id, subscription_id, kind, effective_date, created_at) VALUES (?, ?, 'cancel', ?, ?)").run(newId(), sub.id, end, a.at);
    stmt(db.sqlite, 'UPDATE subscriptions SET cancel_at_period_end = 1, cancel_at = ?, updated_at = ? WHERE id = ?').run(end, a.at, sub.id);
    return;
  }
  if (sub.current_period_start && input.on < sub.current_period_start) {
    throw validation('on', `The cancel date cannot be before the current period, which started ${sub.current_period_start}`);
  }
  if (input.prorate) {
    const ps = sub.current_period_start;
    const pe = sub.current_period_end;
    if (!ps || !pe || input.on >= pe) throw validation('on', 'A prorated credit needs a date within the current billed period');
    const credit = prorate(planAmount(plan, sub.quantity), daysBetween(input.on, pe), daysBetween(ps, pe));
    if (credit > 0) {
      stmt(db.sqlite, 'UPDATE customers SET credit_balance = credit_balance + ? WHERE id = ?').run(credit, sub.customer_id);
      stmt(
        db.sqlite,
        `INSERT INTO credit_transactions (id, customer_id, amount, reason, subscription_id, occurred_on, created_at) VALUES (?, ?, ?, 'cancel_proration', ?, ?, ?)`,
      ).run(newId(), sub.customer_id, credit, sub.id, input.on, a.at);
    }
  }
  stmt(db.sqlite, 'UPDATE scheduled_changes SET canceled_at = ? WHERE subscription_id = ? AND applied_at IS NULL AND canceled_at IS NULL').run(a.at, sub.id);
  cancelSubscription(writeContext(a), plans, sub, input.on, 'canceled');
}

export function pause(a: ActionContext, input: { id: string; on: string }): void {
  const { db } = a;
  const sub = getSubscriptionRow(db, input.id);
  if (sub.status !== 'active' && sub.status !== 'past_due') throw conflict(`Only an active subscription can be paused; this one is ${sub.status.replace('_', ' ')}`, 'id');
  if (sub.current_period_start && input.on <= sub.current_period_start) {
    throw validation('on', `The period from ${sub.current_period_start} is already invoiced; pause from a later date`);
  }
  stmt(db.sqlite, "UPDATE subscriptions SET status = 'paused', paused_at = ?, resume_on = NULL, updated_at = ? WHERE id = ?").run(input.on, a.at, sub.id);
  appendHistory(db, sub, { effectiveDate: input.on, event: 'paused', status: 'paused', recurringAmount: planAmount(loadPlan(db, sub.plan_id), sub.quantity) }, a.at);
}

export function resume(a: ActionContext, input: { id: string; on: string }): void {
  const { db } = a;
  const sub = getSubscriptionRow(db, input.id);
  if (sub.status !== 'paused') throw conflict('This subscription is not paused', 'id');
  if (sub.paused_at && input.on < sub.paused_at) throw validation('on', `Resume on or after the pause date, ${sub.paused_at}`);
  const plan = loadPlan(db, sub.plan_id);
  // The next invoice is the first period of the original grid starting on or after the resume date (spec 7).
  const next = Math.max(sub.next_period_index, firstPeriodOnOrAfter(sub.anchor_date, cadenceOf(plan), input.on));
  stmt(db.sqlite, "UPDATE subscriptions SET status = 'active', paused_at = NULL, resume_on = ?, next_period_index = ?, updated_at = ? WHERE id = ?").run(input.on, next, a.at, sub.id);
  appendHistory(db, { ...sub }, { effectiveDate: input.on, event: 'resumed', status: 'active', recurringAmount: planAmount(plan, sub.quantity) }, a.at);
}

export function reactivate(a: ActionContext, input: { id: string; on?: string | undefined }): void {
  const { db } = a;
  const sub = getSubscriptionRow(db, input.id);
  if (sub.status !== 'canceled' && sub.cancel_at_period_end) {
    stmt(db.sqlite, "UPDATE scheduled_changes SET canceled_at = ? WHERE subscription_id = ? AND kind = 'cancel' AND applied_at IS NULL AND canceled_at IS NULL").run(a.at, sub.id);
    stmt(db.sqlite, 'UPDATE subscriptions SET cancel_at_period_end = 0, cancel_at = NULL, updated_at = ? WHERE id = ?').run(a.at, sub.id);
    return;
  }
  if (sub.status !== 'canceled') throw conflict('This subscription is not canceled', 'id');
  if (!input.on) throw validation('on', 'Give the date the subscription starts again');
  if (sub.canceled_at && input.on < sub.canceled_at) throw validation('on', `Start again on or after the cancellation, ${sub.canceled_at}`);
  const plan = loadPlan(db, sub.plan_id);
  if (plan.archived_at) throw conflict(`The plan ${plan.name} is archived; subscribe the customer to a current plan instead`, 'id');
  // A new anchor: billing starts over from the reactivation date, without a second setup fee.
  stmt(
    db.sqlite,
    `UPDATE subscriptions SET status = 'active', anchor_date = ?, next_period_index = 0, current_period_start = NULL, current_period_end = NULL,
       canceled_at = NULL, cancel_at = NULL, cancel_at_period_end = 0, paused_at = NULL, resume_on = NULL, updated_at = ? WHERE id = ?`,
  ).run(input.on, a.at, sub.id);
  appendHistory(db, sub, { effectiveDate: input.on, event: 'reactivated', status: 'active', recurringAmount: planAmount(plan, sub.quantity) }, a.at);
}

