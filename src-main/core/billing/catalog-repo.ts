import type { CouponTerms } from '@shared/domain/invoice-math';
import { periodAmountProblem } from '@shared/domain/pricing';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { notFound, validation } from '../errors';
import type { BillingSettings, CouponRow, LoadedPlan, PlanRow } from './rows';

export function billingSettings(db: BusinessDb): BillingSettings {
  const b = stmt(
    db.sqlite,
    'SELECT id, currency, timezone, tax_rate_ppm, invoice_prefix, net_terms_days, dunning_days FROM business LIMIT 1',
  ).get() as { id: string; currency: string; timezone: string; tax_rate_ppm: number; invoice_prefix: string; net_terms_days: number; dunning_days: string };
  return {
    businessId: b.id,
    currency: b.currency,
    timezone: b.timezone,
    taxPpm: b.tax_rate_ppm,
    invoicePrefix: b.invoice_prefix,
    netTermsDays: b.net_terms_days,
    dunningDays: JSON.parse(b.dunning_days) as number[],
  };
}

export function loadPlan(db: BusinessDb, id: string, field = 'planId'): LoadedPlan {
  const row = stmt(db.sqlite, 'SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
  if (!row) throw notFound('That plan', field);
  const tiers = (
    stmt(db.sqlite, 'SELECT up_to, unit_amount, flat_amount FROM plan_tiers WHERE plan_id = ? ORDER BY position').all(id) as {
      up_to: number | null;
      unit_amount: number;
      flat_amount: number;
    }[]
  ).map((t) => ({ upTo: t.up_to, unitAmount: t.unit_amount, flatAmount: t.flat_amount }));
  return { ...row, tiers };
}

/** Plans by id, loaded once per run (prices never change once a plan is used). */
export class PlanCache {
  private readonly plans = new Map<string, LoadedPlan>();
  constructor(private readonly db: BusinessDb) {}
  get(id: string): LoadedPlan {
    let plan = this.plans.get(id);
    if (!plan) this.plans.set(id, (plan = loadPlan(this.db, id)));
    return plan;
  }
}

/** A validation error naming `field` when this plan at this quantity would bill more than the largest amount. */
export function checkPeriodAmount(plan: LoadedPlan, quantity: number, field: string): void {
  const problem = periodAmountProblem({ pricingModel: plan.pricing_model, unitAmount: plan.unit_amount, tiers: plan.tiers }, quantity);
  if (problem) throw validation(field, problem);
}

export { planAmount } from '@shared/domain/billing-dto';

export function cadenceOf(plan: PlanRow) {
  return { interval: plan.interval, intervalCount: plan.interval_count };
}

export function loadCoupon(db: BusinessDb, id: string): CouponRow {
  const row = stmt(db.sqlite, 'SELECT * FROM coupons WHERE id = ?').get(id) as CouponRow | undefined;
  if (!row) throw notFound('That coupon', 'couponCode');
  return row;
}

export function couponTerms(c: CouponRow, appliedOn: string): CouponTerms {
  return {
    code: c.code,
    percentOffPpm: c.percent_off_ppm,
    amountOff: c.amount_off,
    duration: c.duration,
    durationMonths: c.duration_months,
    appliedOn,
  };
}
