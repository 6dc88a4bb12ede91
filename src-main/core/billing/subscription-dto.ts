import type { Subscription } from '@shared/domain/billing';
import { periodStart } from '@shared/domain/periods';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { notFound } from '../errors';
import { cadenceOf, loadPlan, planAmount } from './catalog-repo';
import type { SubscriptionRow } from './rows';

export function getSubscriptionRow(db: BusinessDb, id: string, field = 'id'): SubscriptionRow {
  const row = stmt(db.sqlite, 'SELECT * FROM subscriptions WHERE id = ?').get(id) as SubscriptionRow | undefined;
  if (!row) throw notFound('That subscription', field);
  return row;
}

export function toSubscriptionDto(db: BusinessDb, row: SubscriptionRow): Subscription {
  const plan = loadPlan(db, row.plan_id);
  const names = stmt(
    db.sqlite,
    `SELECT c.name AS customerName, b.currency AS currency, (SELECT code FROM coupons WHERE id = ?) AS couponCode
       FROM customers c, business b WHERE c.id = ?`,
  ).get(row.coupon_id, row.customer_id) as { customerName: string; currency: string; couponCode: string | null };
  const scheduled = stmt(
    db.sqlite,
    `SELECT s.effective_date AS "on", s.plan_id AS planId, p.name AS planName, s.quantity
       FROM scheduled_changes s JOIN plans p ON p.id = s.plan_id
      WHERE s.subscription_id = ? AND s.kind = 'change' AND s.applied_at IS NULL AND s.canceled_at IS NULL
      ORDER BY s.effective_date DESC LIMIT 1`,
  ).get(row.id) as { on: string; planId: string; planName: string; quantity: number } | undefined;
  const cadence = cadenceOf(plan);
  const next = periodStart(row.anchor_date, cadence, row.next_period_index);
  const ended = row.canceled_at !== null && row.canceled_at <= next;
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: names.customerName,
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
    couponCode: names.couponCode,
    couponAppliedOn: row.coupon_applied_on,
    recurringAmount: planAmount(plan, row.quantity),
    currency: names.currency,
    interval: plan.interval,
    intervalCount: plan.interval_count,
    scheduledChange: scheduled ?? null,
    licenseKey: row.license_key,
    licenseExpiresOn: row.license_expires_on,
    createdAt: row.created_at,
  };
}
