import type { Interval } from '@shared/domain/periods';
import type { PricingModel, Tier } from '@shared/domain/pricing';
import type { SubscriptionStatus } from '@shared/domain/billing';

// Row shapes of the billing tables as the hot paths read them (raw SQL, snake_case).

export interface SubscriptionRow {
  id: string;
  customer_id: string;
  plan_id: string;
  status: SubscriptionStatus;
  quantity: number;
  start_date: string;
  trial_end: string | null;
  anchor_date: string;
  next_period_index: number;
  current_period_start: string | null;
  current_period_end: string | null;
  coupon_id: string | null;
  coupon_applied_on: string | null;
  setup_fee_invoiced: number;
  cancel_at_period_end: number;
  cancel_at: string | null;
  canceled_at: string | null;
  paused_at: string | null;
  resume_on: string | null;
  license_key: string | null;
  license_expires_on: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * The columns of a subscription the billing run reads (it loads every due
 * subscription at once: each column left out is 100,000 fewer values to
 * convert). The periods and license expiry it writes are not read back.
 */
export const BILLED_SUBSCRIPTION_COLUMNS = [
  'id',
  'customer_id',
  'plan_id',
  'status',
  'quantity',
  'anchor_date',
  'next_period_index',
  'coupon_id',
  'coupon_applied_on',
  'setup_fee_invoiced',
  'cancel_at_period_end',
  'cancel_at',
  'canceled_at',
  'paused_at',
  'license_key',
] as const;

export type BilledSubscription = Pick<SubscriptionRow, (typeof BILLED_SUBSCRIPTION_COLUMNS)[number]>;

export interface PlanRow {
  id: string;
  code: string;
  name: string;
  description: string;
  currency: string;
  pricing_model: PricingModel;
  unit_amount: number;
  interval: Interval;
  interval_count: number;
  trial_days: number;
  setup_fee: number;
  features: string;
  max_machines: number | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LoadedPlan extends PlanRow {
  tiers: Tier[];
}

export interface CouponRow {
  id: string;
  code: string;
  name: string;
  percent_off_ppm: number | null;
  amount_off: number | null;
  currency: string;
  duration: 'once' | 'repeating' | 'forever';
  duration_months: number | null;
  expires_on: string | null;
  max_redemptions: number | null;
  times_redeemed: number;
  archived_at: string | null;
  created_at: string;
}

export interface InvoiceRow {
  id: string;
  number: string;
  customer_id: string;
  subscription_id: string | null;
  kind: 'subscription' | 'change' | 'sale' | 'manual';
  period_key: string | null;
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  issue_date: string;
  due_date: string;
  period_start: string | null;
  period_end: string | null;
  currency: string;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  credit_applied: number;
  amount_paid: number;
  amount_due: number;
  attempt_count: number;
  next_retry_on: string | null;
  paid_on: string | null;
  voided_on: string | null;
  uncollectible_on: string | null;
}

export interface BillingSettings {
  /** The business's own id (the file's `business` row), for ids derived from it. */
  businessId: string;
  currency: string;
  timezone: string;
  taxPpm: number;
  invoicePrefix: string;
  netTermsDays: number;
  dunningDays: number[];
}
