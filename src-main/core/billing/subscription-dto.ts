import type { Subscription } from '@shared/domain/billing';
import { toSubscriptionDto as subscriptionDto } from '@shared/domain/billing-dto';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { notFound } from '../errors';
import { loadPlan } from './catalog-repo';
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
  return subscriptionDto(row, { plan, customerName: names.customerName, currency: names.currency, couponCode: names.couponCode, scheduled: scheduled ?? null });
}
