import type { ProductRow, SaleLineRow } from './products';
import { round2 } from './sales-stats';

// Next best product as "what customers who had X bought next": sequential
// association rules. Walking each customer's sales in date order, every sale
// after the first is a chance for each product Y they did not have yet; it is
// taken when Y is in that sale. For each product X they had by then, the rule
// X → Y counts the chances and the takes, so
//   confidence(X → Y) = sales that added Y / sales of customers who had X and not yet Y,
// the probability that a visit adds Y, for a customer who has X. The base
// rate of Y is the same over every customer's later sales. A customer-level
// "bought both" count would say that heavy buyers buy everything; this says
// what the next visit brings, which is what a suggestion is for.

export interface Rate {
  takes: number;
  chances: number;
}

/**
 * Counted so that the work per sale grows with what the customer has, never with the catalog:
 * a product's chances are the later sales less those of customers who already had it.
 */
export interface NextRules {
  /** Sales after a customer's first. */
  laterSales: number;
  /** X → later sales of customers who had X. */
  withX: Map<string, number>;
  /** X → Y → later sales of customers who had both. */
  both: Map<string, Map<string, number>>;
  /** Y → later sales that added Y. */
  baseTakes: Map<string, number>;
  /** X → Y → later sales that added Y, of customers who had X. */
  takes: Map<string, Map<string, number>>;
}

export function baseRate(rules: NextRules, y: string): Rate {
  return { takes: rules.baseTakes.get(y) ?? 0, chances: rules.laterSales - (rules.withX.get(y) ?? 0) };
}

export function pairRate(rules: NextRules, x: string, y: string): Rate {
  return { takes: rules.takes.get(x)?.get(y) ?? 0, chances: (rules.withX.get(x) ?? 0) - (rules.both.get(x)?.get(y) ?? 0) };
}

export interface CustomerSale {
  saleId: string;
  date: string;
  items: Set<string>;
}

/** Each named customer's sales (products kept), in date order. */
export function salesByCustomer(lines: readonly SaleLineRow[]): Map<string, CustomerSale[]> {
  const bySale = new Map<string, { customerId: string; sale: CustomerSale }>();
  for (const l of lines) {
    if (!l.customerId || l.quantity <= 0) continue;
    let s = bySale.get(l.saleId);
    if (!s) bySale.set(l.saleId, (s = { customerId: l.customerId, sale: { saleId: l.saleId, date: l.date, items: new Set() } }));
    s.sale.items.add(l.productId);
  }
  const out = new Map<string, CustomerSale[]>();
  for (const { customerId, sale } of bySale.values()) {
    let own = out.get(customerId);
    if (!own) out.set(customerId, (own = []));
    own.push(sale);
  }
  for (const own of out.values()) own.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.saleId < b.saleId ? -1 : 1));
  return out;
}

/** The rules learnt from every customer's sales (the last sale of the customers in `dropLast` left out). */
export function nextRules(customers: ReadonlyMap<string, readonly CustomerSale[]>, dropLast?: ReadonlySet<string>): NextRules {
  const rules: NextRules = { laterSales: 0, withX: new Map(), both: new Map(), baseTakes: new Map(), takes: new Map() };
  const bump = (map: Map<string, Map<string, number>>, x: string, y: string) => {
    let row = map.get(x);
    if (!row) map.set(x, (row = new Map()));
    row.set(y, (row.get(y) ?? 0) + 1);
  };
  for (const [customerId, sales] of customers) {
    const upTo = dropLast?.has(customerId) ? sales.length - 1 : sales.length;
    const owned: string[] = [];
    const has = new Set<string>();
    for (let i = 0; i < upTo; i++) {
      const sale = sales[i]!;
      if (i > 0) {
        rules.laterSales++;
        for (const x of owned) {
          rules.withX.set(x, (rules.withX.get(x) ?? 0) + 1);
          for (const y of owned) if (y !== x) bump(rules.both, x, y);
        }
        for (const y of sale.items) {
          if (has.has(y)) continue;
          rules.baseTakes.set(y, (rules.baseTakes.get(y) ?? 0) + 1);
          for (const x of owned) bump(rules.takes, x, y);
        }
      }
      for (const id of sale.items) {
        if (has.has(id) || owned.length >= MAX_OWNED) continue;
        has.add(id);
        owned.push(id);
      }
    }
  }
  return rules;
}

/** A customer's first 50 products count as what they have (a reseller's 2,000 would cost 4 million pairs a sale). */
const MAX_OWNED = 50;

/** As if SHRINK more chances had gone at the base rate: a rule seen 3 times does not outrank one seen 300. */
const SHRINK = 20;
const MIN_TAKES = 2;

export interface Suggestion {
  productId: string;
  sku: string;
  name: string;
  score: number;
  because: string;
}

/** A rule must make Y at least this much likelier than the base rate to stand for its product. */
const MIN_LIFT = 1.3;

interface Candidate {
  id: string;
  rank: number;
  rate: number;
  from: string | null;
  takes: number;
}

/** What suggestions are made from: each product's strongest antecedent, and the rest ranked once. */
export interface SuggestionModel {
  /** X → the rule candidates it leads. */
  byLead: Map<string, Candidate[]>;
  /** Y → its lead X, if any. */
  leadOf: Map<string, string>;
  /** Every product by its rate without its lead (its base rate when it has none), best first. */
  general: Candidate[];
}

/**
 * For each product Y, its strongest antecedent X (the rule X → Y with the highest shrunk rate and a lift of
 * 1.3 or more): a customer who has X gets the rule's rate; one who does not gets Y's rate among the
 * customers without X (so a product that sells mostly as a follow-up to X is not pushed to everyone); a
 * product with no such rule gets its base rate.
 */
export function suggestionModel(rules: NextRules): SuggestionModel {
  const lead = new Map<string, Candidate>();
  for (const [x, row] of rules.takes) {
    for (const [y, takes] of row) {
      if (takes < MIN_TAKES) continue;
      const base = baseRate(rules, y);
      const baseValue = base.chances > 0 ? base.takes / base.chances : 0;
      const r = pairRate(rules, x, y);
      if (r.chances <= 0) continue;
      const rank = (r.takes + SHRINK * baseValue) / (r.chances + SHRINK);
      if (rank < MIN_LIFT * baseValue) continue;
      const seen = lead.get(y);
      if (!seen || rank > seen.rank || (rank === seen.rank && x < seen.from!)) lead.set(y, { id: y, rank, rate: r.takes / r.chances, from: x, takes: r.takes });
    }
  }
  const byLead = new Map<string, Candidate[]>();
  const leadOf = new Map<string, string>();
  for (const c of lead.values()) {
    leadOf.set(c.id, c.from!);
    if (!byLead.has(c.from!)) byLead.set(c.from!, []);
    byLead.get(c.from!)!.push(c);
  }
  const general: Candidate[] = [];
  for (const [y] of rules.baseTakes) {
    const base = baseRate(rules, y);
    const x = leadOf.get(y);
    const without = x ? pairRate(rules, x, y) : { takes: 0, chances: 0 };
    const takes = base.takes - without.takes;
    const chances = base.chances - without.chances;
    if (takes <= 0 || chances <= 0) continue;
    general.push({ id: y, rank: takes / chances, rate: takes / chances, from: null, takes });
  }
  general.sort(byRank);
  return { byLead, leadOf, general };
}

function byRank(p: Candidate, q: Candidate): number {
  return q.rank - p.rank || q.takes - p.takes || (p.id < q.id ? -1 : 1);
}

/** Up to `count` products a customer who has `owned` does not (and that are for sale). */
export function suggestNext(model: SuggestionModel, owned: ReadonlySet<string>, products: ReadonlyMap<string, ProductRow>, count = 3): Suggestion[] {
  const name = (id: string) => products.get(id)?.name ?? id;
  const open = (id: string) => !owned.has(id) && products.get(id)?.archived === false;
  const picked: Candidate[] = [];
  for (const x of owned) for (const c of model.byLead.get(x) ?? []) if (open(c.id)) picked.push(c);
  let general = 0;
  for (const c of model.general) {
    if (general >= count) break;
    const x = model.leadOf.get(c.id);
    if (!open(c.id) || (x !== undefined && owned.has(x))) continue;
    picked.push(c);
    general++;
  }
  return picked
    .sort(byRank)
    .slice(0, count)
    .map((s) => ({
      productId: s.id,
      sku: products.get(s.id)?.sku ?? '',
      name: name(s.id),
      score: round2(s.rank),
      because: s.from
        ? `Customers who bought ${name(s.from)} also bought ${name(s.id)} (${Math.round(s.rate * 100)} % of their next visits, ${s.takes} times).`
        : `Popular: ${Math.round(s.rate * 100)} % of returning customers' visits add ${name(s.id)}.`,
    }));
}
