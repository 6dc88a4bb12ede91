import { addDays } from './dates';
import type { LoadedPlan, SubscriptionRow } from './billing-rows';
import { planAmount } from './billing-dto';
import { LICENSE_KEY_ALPHABET, LICENSE_KEY_GROUP_LENGTH, LICENSE_KEY_GROUPS, licenseExpiresOn } from './license';
import { formatMoney, type CurrencyCode } from './money';
import { periodAmountProblem } from './pricing';

// A new subscription (spec 2, cli.md `subscription create`, server.md `POST
// /v1/subscriptions`): the checks and the rows it writes, as pure functions of
// what the caller read. The PC feeds them from SQLite and inserts the rows;
// the server feeds them from its projection and appends the same rows as
// server-made changes, so a subscription made over the REST API is the one
// the app would have made, and the billing PC bills it alike.

export interface NewSubscriptionRequest {
  customerId: string;
  planId: string;
  startDate: string;
  quantity: number;
  couponCode?: string | undefined;
  /** Overrides the plan's trial; 0 for none. */
  trialDays?: number | undefined;
}

/** The columns of a coupon the checks and the redemption count read. */
export interface CouponFacts {
  id: string;
  code: string;
  currency: string;
  amount_off: number | null;
  expires_on: string | null;
  max_redemptions: number | null;
  times_redeemed: number;
  archived_at: string | null;
}

/** What the caller read: null where the row is missing. */
export interface NewSubscriptionFacts {
  customer: { id: string; name: string; status: string } | null;
  plan: LoadedPlan | null;
  /** Only when a code was given: the coupon of that code (compared ignoring case), or null. */
  coupon?: CouponFacts | null | undefined;
  /** The business's currency. */
  currency: string;
}

/** Why a request cannot make a subscription, naming the field (each side turns it into its own error). */
export interface NewSubscriptionProblem {
  kind: 'not_found' | 'invalid';
  field: 'customerId' | 'planId' | 'quantity' | 'couponCode';
  /** For not_found: what was not found ("That customer"); for invalid: the message. */
  message: string;
}

/** The first reason the request cannot be met, or null: the PC's order of checks. */
export function newSubscriptionProblem(request: NewSubscriptionRequest, facts: NewSubscriptionFacts): NewSubscriptionProblem | null {
  const { customer, plan } = facts;
  if (!customer) return { kind: 'not_found', field: 'customerId', message: 'That customer' };
  if (customer.status !== 'active') return { kind: 'invalid', field: 'customerId', message: `${customer.name} is inactive; reactivate them first` };
  if (!plan) return { kind: 'not_found', field: 'planId', message: 'That plan' };
  if (plan.archived_at) return { kind: 'invalid', field: 'planId', message: `The plan ${plan.name} is archived` };
  // Plans take the business's currency, which cannot change once there are plans: a mismatch is a damaged or foreign row.
  if (plan.currency !== facts.currency) return { kind: 'invalid', field: 'planId', message: `The plan ${plan.name} is priced in ${plan.currency}; this business bills in ${facts.currency}` };
  const amountProblem = periodAmountProblem({ pricingModel: plan.pricing_model, unitAmount: plan.unit_amount, tiers: plan.tiers }, request.quantity);
  if (amountProblem) return { kind: 'invalid', field: 'quantity', message: amountProblem };
  if (request.couponCode) {
    const coupon = facts.coupon;
    if (!coupon) return { kind: 'not_found', field: 'couponCode', message: `Coupon ${request.couponCode}` };
    if (coupon.archived_at) return { kind: 'invalid', field: 'couponCode', message: `Coupon ${coupon.code} is archived` };
    if (coupon.expires_on && request.startDate > coupon.expires_on) return { kind: 'invalid', field: 'couponCode', message: `Coupon ${coupon.code} expired on ${coupon.expires_on}` };
    if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) {
      return { kind: 'invalid', field: 'couponCode', message: `Coupon ${coupon.code} has been used its maximum ${coupon.max_redemptions} times` };
    }
    if (coupon.amount_off !== null && coupon.currency !== plan.currency) {
      return { kind: 'invalid', field: 'couponCode', message: `Coupon ${coupon.code} takes ${coupon.currency} off; the plan ${plan.name} is priced in ${plan.currency}` };
    }
  }
  return null;
}

export interface HistoryRow {
  id: string;
  subscription_id: string;
  customer_id: string;
  seq: number;
  effective_date: string;
  event: string;
  status: string;
  plan_id: string;
  quantity: number;
  recurring_amount: number;
  coupon_id: string | null;
  coupon_applied_on: string | null;
  recorded_at: string;
}

export interface CustomerEventRow {
  id: string;
  customer_id: string;
  kind: 'system';
  subtype: string;
  title: string;
  body: string;
  occurred_at: string;
  user_id: string | null;
  ref_type: string | null;
  ref_id: string | null;
  created_at: string;
}

export interface NewSubscriptionRows {
  subscription: SubscriptionRow;
  /** Its first history row (seq 1: the state from the start date). */
  history: HistoryRow;
  /** The customer's timeline entry. */
  event: CustomerEventRow;
  /** The coupon's redemption count after this one, or null without a coupon. */
  couponRedeemed: { id: string; before: number; after: number } | null;
}

/**
 * The rows of a new subscription, for a request `newSubscriptionProblem`
 * found nothing wrong with: trialing until the trial's end (the anchor of its
 * periods) or active from the start date; nothing invoiced yet (the billing
 * PC's next run invoices its first period); a licensed one valid through its
 * trial or its first period at once (license.ts).
 */
export function newSubscriptionRows(
  request: NewSubscriptionRequest,
  facts: NewSubscriptionFacts & { customer: NonNullable<NewSubscriptionFacts['customer']>; plan: LoadedPlan },
  made: { ids: { subscription: string; history: string; event: string }; at: string; userId: string | null; licenseKey: string | null },
): NewSubscriptionRows {
  const { customer, plan } = facts;
  const coupon = request.couponCode ? (facts.coupon ?? null) : null;
  const trialDays = request.trialDays ?? plan.trial_days;
  const trialEnd = trialDays > 0 ? addDays(request.startDate, trialDays) : null;
  const status = trialEnd ? 'trialing' : 'active';
  const anchor = trialEnd ?? request.startDate;
  const subscription: SubscriptionRow = {
    id: made.ids.subscription,
    customer_id: customer.id,
    plan_id: plan.id,
    status,
    quantity: request.quantity,
    start_date: request.startDate,
    trial_end: trialEnd,
    anchor_date: anchor,
    next_period_index: 0,
    current_period_start: null,
    current_period_end: null,
    coupon_id: coupon?.id ?? null,
    // A coupon given at creation counts as applied on the start date (spec 2).
    coupon_applied_on: coupon ? request.startDate : null,
    setup_fee_invoiced: 0,
    cancel_at_period_end: 0,
    cancel_at: null,
    canceled_at: null,
    paused_at: null,
    resume_on: null,
    license_key: made.licenseKey,
    license_expires_on:
      made.licenseKey === null
        ? null
        : licenseExpiresOn({
            status,
            anchorDate: anchor,
            trialEnd,
            nextPeriodIndex: 0,
            canceledAt: null,
            cadence: { interval: plan.interval, intervalCount: plan.interval_count },
            failingSince: null,
            dunningDays: [],
            current: null,
          }),
    license_validated_on: null,
    created_at: made.at,
    updated_at: made.at,
  };
  const amount = planAmount(plan, request.quantity);
  return {
    subscription,
    history: {
      id: made.ids.history,
      subscription_id: subscription.id,
      customer_id: customer.id,
      seq: 1,
      effective_date: request.startDate,
      event: 'created',
      status,
      plan_id: plan.id,
      quantity: request.quantity,
      recurring_amount: amount,
      coupon_id: subscription.coupon_id,
      coupon_applied_on: subscription.coupon_applied_on,
      recorded_at: made.at,
    },
    event: {
      id: made.ids.event,
      customer_id: customer.id,
      kind: 'system',
      subtype: 'subscribed',
      title: `Subscribed to ${plan.name}`,
      body: `${formatMoney(amount, facts.currency as CurrencyCode)}${trialEnd ? `, trial until ${trialEnd}` : ''}${coupon ? `, coupon ${coupon.code}` : ''}`,
      occurred_at: `${request.startDate}T00:00:00.000Z`,
      user_id: made.userId,
      ref_type: 'subscription',
      ref_id: subscription.id,
      created_at: made.at,
    },
    couponRedeemed: coupon ? { id: coupon.id, before: coupon.times_redeemed, after: coupon.times_redeemed + 1 } : null,
  };
}

/** A generated license key, XXXXX-XXXXX-XXXXX-XXXXX-XXXXX, from 25 random bytes (32 letters, so a byte modulo 32 is uniform). */
export function licenseKeyFromBytes(bytes: Uint8Array): string {
  const length = LICENSE_KEY_GROUPS * LICENSE_KEY_GROUP_LENGTH;
  if (bytes.length < length) throw new Error(`licenseKeyFromBytes: ${length} random bytes needed`);
  const chars = [...bytes.subarray(0, length)].map((b) => LICENSE_KEY_ALPHABET[b % LICENSE_KEY_ALPHABET.length]!);
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += LICENSE_KEY_GROUP_LENGTH) groups.push(chars.slice(i, i + LICENSE_KEY_GROUP_LENGTH).join(''));
  return groups.join('-');
}

export const LICENSE_KEY_RANDOM_BYTES = LICENSE_KEY_GROUPS * LICENSE_KEY_GROUP_LENGTH;
