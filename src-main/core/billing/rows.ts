import type { SubscriptionRow } from '@shared/domain/billing-rows';

// Row shapes of the billing tables as the hot paths read them (raw SQL, snake_case);
// the whole-table rows live in src-shared, where the server's mappers use them too.
export type { InvoiceRow, LoadedPlan, PlanRow, SubscriptionRow } from '@shared/domain/billing-rows';

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
