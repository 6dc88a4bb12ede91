import type { Coupon, Plan } from '@shared/domain/billing';
import { describeCadence, type Interval } from '@shared/domain/periods';

export const INTERVAL_OPTIONS: Interval[] = ['day', 'week', 'month', 'quarter', 'year'];

/** "month" / "months" for the interval select, by the count beside it. */
export function intervalLabel(interval: Interval, count: number): string {
  return count === 1 ? interval : `${interval}s`;
}

export const PRICING_LABELS = { flat: 'Flat', graduated: 'Graduated', volume: 'Volume' } as const;

export const PRICING_HINTS = {
  flat: 'One price per unit: a quantity of 3 costs 3 × the price.',
  graduated: 'Each unit costs the price of the tier it falls in: the first units at the first tier’s price, the next at the next tier’s.',
  volume: 'Every unit costs the price of the tier the whole quantity reaches: 15 units in the “11 and above” tier are all at that price.',
} as const;

/** "$30.00 monthly", "From $4.00 per unit, every 2 weeks". */
export function describePlanPrice(plan: Pick<Plan, 'price' | 'pricingModel' | 'tiers' | 'interval' | 'intervalCount'>, money: (minor: number) => string): string {
  const cadence = describeCadence(plan);
  if (plan.pricingModel === 'flat' || plan.tiers.length === 0) return `${money(plan.price)} ${cadence}`;
  const lowest = Math.min(...plan.tiers.map((t) => t.unitAmount));
  return `From ${money(lowest)} per unit, ${cadence}`;
}

/** "20% off", "$5.00 off". */
export function describeDiscount(coupon: Pick<Coupon, 'percentOff' | 'amountOff'>, money: (minor: number) => string): string {
  if (coupon.percentOff !== null) return `${coupon.percentOff}% off`;
  return `${money(coupon.amountOff ?? 0)} off`;
}

/** "Once", "Forever", "For 3 months". */
export function describeDuration(coupon: Pick<Coupon, 'duration' | 'durationMonths'>): string {
  if (coupon.duration === 'once') return 'First invoice only';
  if (coupon.duration === 'forever') return 'Every invoice';
  const n = coupon.durationMonths ?? 0;
  return `For ${n} ${n === 1 ? 'month' : 'months'}`;
}
