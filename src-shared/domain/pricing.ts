import { divRound, MAX_AMOUNT_MINOR } from './money';

// Prices of spec 3: flat (unit x quantity), graduated tiers (each unit at the
// price of its tier) and volume tiers (every unit at the price of the tier the
// quantity falls in). All integers.

export type PricingModel = 'flat' | 'graduated' | 'volume';

export interface Tier {
  /** Last unit of the tier (inclusive); null: no limit. */
  upTo: number | null;
  unitAmount: number;
  /** Added once when any unit falls in the tier. */
  flatAmount: number;
}

export interface Price {
  pricingModel: PricingModel;
  unitAmount: number;
  tiers: Tier[];
}

export function recurringAmount(price: Price, quantity: number): number {
  if (price.pricingModel === 'flat' || price.tiers.length === 0) return price.unitAmount * quantity;
  if (price.pricingModel === 'volume') {
    const tier = price.tiers.find((t) => t.upTo === null || quantity <= t.upTo) ?? price.tiers[price.tiers.length - 1]!;
    return tier.unitAmount * quantity + tier.flatAmount;
  }
  let total = 0;
  let from = 0;
  for (const tier of price.tiers) {
    if (quantity <= from) break;
    const to = tier.upTo === null ? quantity : Math.min(quantity, tier.upTo);
    total += (to - from) * tier.unitAmount + tier.flatAmount;
    from = to;
  }
  return total;
}

/**
 * Why a plan and quantity cannot be billed, or null: one period's amount must
 * stay within MAX_AMOUNT_MINOR (a price of 10 billion times a million seats
 * would be 1e18 minor units, past what a number holds exactly).
 */
export function periodAmountProblem(price: Price, quantity: number): string | null {
  return recurringAmount(price, quantity) > MAX_AMOUNT_MINOR
    ? 'The price times the quantity is more than the largest amount Recurra bills in one period (10 billion); lower the quantity'
    : null;
}

/** The tiers in order are well formed: increasing limits, only the last without one. */
export function tiersProblem(tiers: Tier[]): string | null {
  if (tiers.length === 0) return 'Add at least one tier';
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i]!;
    const last = i === tiers.length - 1;
    if (!last && t.upTo === null) return `Tier ${i + 1}: only the last tier can be without a limit`;
    if (last && t.upTo !== null) return 'The last tier must have no upper limit';
    if (t.upTo !== null && t.upTo < 1) return `Tier ${i + 1}: the limit must be at least 1`;
    const prev = i > 0 ? tiers[i - 1]!.upTo : 0;
    if (t.upTo !== null && prev !== null && t.upTo <= prev) return `Tier ${i + 1}: limits must increase`;
  }
  return null;
}

/** round(amount x numerator / denominator), half away from zero: proration (spec 6). */
export function prorate(amount: number, numerator: number, denominator: number): number {
  return divRound(BigInt(amount) * BigInt(numerator), denominator);
}
