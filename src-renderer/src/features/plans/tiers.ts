import { recurringAmount, type PricingModel, type Tier } from '@shared/domain/pricing';

// The tiers editor's rules: rows "up to N" with the last one "and above", and
// the worked example under it ("15 units cost …"), priced by the shared
// recurringAmount so the example is what the engine will charge.

/** A tier as typed: amounts are text until the form is submitted. */
export interface TierRow {
  upTo: string;
  unitAmount: string;
  flatAmount: string;
}

export function newTierRows(unitAmount = ''): TierRow[] {
  return [
    { upTo: '10', unitAmount, flatAmount: '' },
    { upTo: '', unitAmount, flatAmount: '' },
  ];
}

/** Adds a tier before the open-ended last one, ten units past the previous limit. */
export function addTierRow(rows: TierRow[]): TierRow[] {
  if (rows.length === 0) return [{ upTo: '', unitAmount: '', flatAmount: '' }];
  const limits = rows.slice(0, -1).map((r) => Number.parseInt(r.upTo, 10)).filter((n) => Number.isInteger(n));
  const previous = limits.length ? Math.max(...limits) : 0;
  const last = rows[rows.length - 1]!;
  const row: TierRow = { upTo: String(previous + 10), unitAmount: last.unitAmount, flatAmount: '' };
  return [...rows.slice(0, -1), row, last];
}

/** Removes a tier; the row that becomes last loses its limit ("and above"). */
export function removeTierRow(rows: TierRow[], index: number): TierRow[] {
  if (rows.length <= 1) return rows;
  const next = rows.filter((_, i) => i !== index);
  const lastIndex = next.length - 1;
  return next.map((r, i) => (i === lastIndex ? { ...r, upTo: '' } : r));
}

/** The first unit of each tier: 1, then one past the previous limit (null when that limit is not a number yet). */
export function tierStarts(limits: (number | null)[]): (number | null)[] {
  return limits.map((_, i) => {
    if (i === 0) return 1;
    const previous = limits[i - 1];
    return previous === null || previous === undefined ? null : previous + 1;
  });
}

/** A limit as typed, or null when it is not a whole number of at least 1. */
export function parseLimit(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= 1 && Number.isSafeInteger(n) ? n : null;
}

export interface TierPart {
  tier: number;
  /** Units priced in this part, and the range they cover. */
  units: number;
  from: number;
  to: number;
  unitAmount: number;
  flatAmount: number;
  amount: number;
}

export interface TierExample {
  parts: TierPart[];
  total: number;
}

/**
 * How a quantity is priced, part by part: graduated fills the tiers in order;
 * volume prices every unit at the tier the quantity falls in. The total is
 * recurringAmount's, which the parts add up to.
 */
export function tierExample(tiers: Tier[], model: Exclude<PricingModel, 'flat'>, quantity: number): TierExample {
  const total = recurringAmount({ pricingModel: model, unitAmount: 0, tiers }, quantity);
  if (tiers.length === 0 || quantity < 1) return { parts: [], total };
  if (model === 'volume') {
    const index = tiers.findIndex((t) => t.upTo === null || quantity <= t.upTo);
    const at = index === -1 ? tiers.length - 1 : index;
    const tier = tiers[at]!;
    return {
      parts: [{ tier: at, units: quantity, from: 1, to: quantity, unitAmount: tier.unitAmount, flatAmount: tier.flatAmount, amount: tier.unitAmount * quantity + tier.flatAmount }],
      total,
    };
  }
  const parts: TierPart[] = [];
  let from = 0;
  for (const [i, tier] of tiers.entries()) {
    if (quantity <= from) break;
    const to = tier.upTo === null ? quantity : Math.min(quantity, tier.upTo);
    const units = to - from;
    parts.push({ tier: i, units, from: from + 1, to, unitAmount: tier.unitAmount, flatAmount: tier.flatAmount, amount: units * tier.unitAmount + tier.flatAmount });
    from = to;
  }
  return { parts, total };
}

/** "1–10", "11–50", "51 and above": the units a tier covers. */
export function tierRange(tiers: Pick<Tier, 'upTo'>[], index: number): string {
  const from = index === 0 ? 1 : (tiers[index - 1]?.upTo ?? 0) + 1;
  const upTo = tiers[index]?.upTo ?? null;
  if (upTo === null) return `${from} and above`;
  return from === upTo ? String(from) : `${from}–${upTo}`;
}
