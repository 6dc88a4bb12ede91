import type { Invoice, Plan, Subscription } from './billing';
import type { InvoiceRow, LoadedPlan, SubscriptionRow } from './billing-rows';
import { periodStart } from './periods';
import { recurringAmount } from './pricing';

// Plans, subscriptions and invoices as the CLI, the app and the REST API show
// them, from their rows and the few related values each needs: one mapping
// for the PC (fed by SQLite) and the server (fed by its projection).

export function toPlanDto(plan: LoadedPlan, counts: { total: number; live: number }): Plan {
  return {
    id: plan.id,
    name: plan.name,
    code: plan.code,
    description: plan.description,
    price: plan.unit_amount,
    currency: plan.currency,
    interval: plan.interval,
    intervalCount: plan.interval_count,
    trialDays: plan.trial_days,
    setupFee: plan.setup_fee,
    pricingModel: plan.pricing_model,
    tiers: plan.tiers,
    features: JSON.parse(plan.features) as string[],
    maxMachines: plan.max_machines,
    archived: plan.archived_at !== null,
    subscriptionCount: counts.total,
    activeSubscriptions: counts.live,
    createdAt: plan.created_at,
  };
}

/** Statuses in which a subscription counts among a plan's active subscriptions. */
export const LIVE_SUBSCRIPTION_STATUSES: readonly string[] = ['trialing', 'active', 'past_due', 'paused'];

export function planAmount(plan: LoadedPlan, quantity: number): number {
  return recurringAmount({ pricingModel: plan.pricing_model, unitAmount: plan.unit_amount, tiers: plan.tiers }, quantity);
}

export interface SubscriptionRelated {
  plan: LoadedPlan;
  customerName: string;
  currency: string;
  couponCode: string | null;
  /** The latest scheduled change not yet applied or canceled. */
  scheduled: { on: string; planId: string; planName: string; quantity: number } | null;
}

export function toSubscriptionDto(row: SubscriptionRow, related: SubscriptionRelated): Subscription {
  const { plan } = related;
  const next = periodStart(row.anchor_date, { interval: plan.interval, intervalCount: plan.interval_count }, row.next_period_index);
  const ended = row.canceled_at !== null && row.canceled_at <= next;
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: related.customerName,
    planId: row.plan_id,
    planName: plan.name,
    status: row.status,
    quantity: row.quantity,
    startDate: row.start_date,
    trialEnd: row.trial_end,
    anchorDate: row.anchor_date,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    nextInvoiceDate: ended || (row.cancel_at_period_end && row.cancel_at !== null && row.cancel_at <= next) ? null : next,
    cancelAt: row.cancel_at,
    cancelAtPeriodEnd: Boolean(row.cancel_at_period_end),
    canceledAt: row.canceled_at,
    pausedAt: row.paused_at,
    resumeOn: row.resume_on,
    couponCode: related.couponCode,
    couponAppliedOn: row.coupon_applied_on,
    recurringAmount: planAmount(plan, row.quantity),
    currency: related.currency,
    interval: plan.interval,
    intervalCount: plan.interval_count,
    scheduledChange: related.scheduled,
    licenseKey: row.license_key,
    licenseExpiresOn: row.license_expires_on,
    createdAt: row.created_at,
  };
}

export interface InvoiceLineRow {
  kind: Invoice['lines'][number]['kind'];
  description: string;
  quantity: number;
  unit_amount: number | null;
  amount: number;
  period_start: string | null;
  period_end: string | null;
}

/** `lines` in their position order; none for a list that leaves them out. */
export function toInvoiceDto(row: InvoiceRow, customerName: string, lines: readonly InvoiceLineRow[]): Invoice {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    customerName,
    subscriptionId: row.subscription_id,
    kind: row.kind,
    status: row.status,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    currency: row.currency,
    subtotal: row.subtotal,
    discount: row.discount,
    tax: row.tax,
    total: row.total,
    creditApplied: row.credit_applied,
    amountPaid: row.amount_paid,
    amountDue: row.amount_due,
    attemptCount: row.attempt_count,
    nextRetryOn: row.next_retry_on,
    paidOn: row.paid_on,
    lines: lines.map((l) => ({ kind: l.kind, description: l.description, quantity: l.quantity, unitAmount: l.unit_amount, amount: l.amount, periodStart: l.period_start, periodEnd: l.period_end })),
  };
}
