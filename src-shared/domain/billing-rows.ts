import type { SubscriptionStatus } from './billing';
import type { Interval } from './periods';
import type { PricingModel, Tier } from './pricing';

// Rows of the billing tables as SQLite returns them, and as the sync change
// log and the server's projection carry them (snake_case column names): the
// input of the mappers in billing-dto.ts, on the PC and on the server.

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
  /** YYYY-MM-DD: the last day the server validated the key (a server-made change). */
  license_validated_on: string | null;
  created_at: string;
  updated_at: string;
}

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
