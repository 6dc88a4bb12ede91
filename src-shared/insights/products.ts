import { addDays, startOfWeek } from '../domain/dates';
import { nextRules, salesByCustomer, suggestionModel, suggestNext, type CustomerSale } from './sales-next-best';
import { round2, wape, Z80 } from './sales-stats';

// Best sellers, weekly demand with a band and stock running out, and the next
// best product per customer (spec/insights.md). Inputs are the counter's sale
// lines, already net of what was refunded.
//
// Demand: simple exponential smoothing of each product's weekly units
// (DEMAND_ALPHA, see there), the 80 % band from its in-sample one-step
// residuals (normal approximation). Weekly
// counts of a few units are noisy; smoothing beats "same as last week", and
// the backtest measures by how much.
//
// Next best product: what customers who had the same products bought on
// their next visits (sequential association rules, sales-next-best.ts), with
// the reason in words. Bundles: products in the same customers' baskets more
// often than chance (support, confidence, lift).

export interface SaleLineRow {
  saleId: string;
  customerId: string | null;
  /** YYYY-MM-DD */
  date: string;
  productId: string;
  /** Units kept (sold less refunded). */
  quantity: number;
  /** Money kept for the line, tax excluded, minor units. */
  revenue: number;
}

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  /** Units on hand, or null when the product's stock is not tracked. */
  stock: number | null;
  lowStockAt: number | null;
  archived: boolean;
}

export interface BestSeller {
  productId: string;
  sku: string;
  name: string;
  units: number;
  revenue: number;
  /** Distinct customers (named on the sale) who bought it in the period. */
  customers: number;
  rankByUnits: number;
  rankByRevenue: number;
}

export interface DemandWeek {
  /** The Monday that starts the week. */
  week: string;
  quantity: number;
  low: number;
  high: number;
}

export interface ProductDemand {
  productId: string;
  sku: string;
  name: string;
  /** The last weeks sold, oldest first (complete weeks). */
  history: { week: string; quantity: number }[];
  weeks: DemandWeek[];
  stock: number | null;
  /** Days until the stock runs out at the forecast pace; null when untracked or not selling. */
  stockoutInDays: number | null;
  text: string;
}

export interface NextBest {
  productId: string;
  sku: string;
  name: string;
  /** Confidence of the rule (0..1), or the product's share of customers for a popular fill-in. */
  score: number;
  because: string;
}

export interface Bundle {
  productId: string;
  sku: string;
  withProductId: string;
  withSku: string;
  /** Customers who bought both. */
  customers: number;
  confidence: number;
  lift: number;
  text: string;
}

export const DEMAND_WEEKS_AHEAD = 4;
const DEMAND_HISTORY_WEEKS = 26;
const MIN_DEMAND_WEEKS = 4;
const MAX_DEMAND_PRODUCTS = 50;
const LOW_STOCK_HORIZON_DAYS = 28;
const MAX_BASKET = 50;

/** Top products of the period by revenue (ties by units), each with its rank by units too. */
export function bestSellers(lines: readonly SaleLineRow[], products: ReadonlyMap<string, ProductRow>, from: string, to: string, limit = 10): BestSeller[] {
  const totals = new Map<string, { units: number; revenue: number; customers: Set<string> }>();
  for (const l of lines) {
    if (l.date < from || l.date > to || l.quantity <= 0) continue;
    let t = totals.get(l.productId);
    if (!t) totals.set(l.productId, (t = { units: 0, revenue: 0, customers: new Set() }));
    t.units += l.quantity;
    t.revenue += l.revenue;
    if (l.customerId) t.customers.add(l.customerId);
  }
  const all = [...totals].map(([productId, t]) => ({ productId, sku: products.get(productId)?.sku ?? '', name: products.get(productId)?.name ?? '', units: t.units, revenue: t.revenue, customers: t.customers.size }));
  const byUnits = [...all].sort((a, b) => b.units - a.units || b.revenue - a.revenue || a.sku.localeCompare(b.sku));
  const unitsRank = new Map(byUnits.map((p, i) => [p.productId, i + 1]));
  return all
    .sort((a, b) => b.revenue - a.revenue || b.units - a.units || a.sku.localeCompare(b.sku))
    .slice(0, limit)
    .map((p, i) => ({ ...p, rankByUnits: unitsRank.get(p.productId)!, rankByRevenue: i + 1 }));
}

/** Units per week for each product, over the complete weeks in [firstWeek, lastWeek]. */
export function weeklyUnits(lines: readonly SaleLineRow[], firstWeek: string, lastWeek: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const l of lines) {
    const week = weekOf(l.date);
    if (week < firstWeek || week > lastWeek) continue;
    let weeks = out.get(l.productId);
    if (!weeks) out.set(l.productId, (weeks = new Map()));
    weeks.set(week, (weeks.get(week) ?? 0) + l.quantity);
  }
  return out;
}

export interface SesModel {
  alpha: number;
  level: number;
  /** Root mean squared in-sample one-step error. */
  rmse: number;
}

/**
 * The smoothing of weekly demand. Fixed, not searched: a search on the in-sample error picked the smoothest
 * value (0.05) on half a year of steady weeks, which then lagged a seasonal turn and lost to "same as last
 * week"; 0.3 (a week's news counts for 30 %) beat both the search and "last week" at each of four as-of
 * dates on the bench's book (bench/insights-sales-seed.ts).
 */
export const DEMAND_ALPHA = 0.3;

/** Simple exponential smoothing of a series (at least one value); the error is the in-sample one-step RMSE. */
export function fitSes(y: readonly number[], alpha = DEMAND_ALPHA): SesModel {
  // Start from the mean of the first 4 weeks, so a slow first week does not drag every later fit.
  let level = y.slice(0, 4).reduce((s, v) => s + v, 0) / Math.max(1, Math.min(4, y.length));
  let sse = 0;
  for (const v of y) {
    const e = v - level;
    sse += e * e;
    level += alpha * e;
  }
  return { alpha, level, rmse: Math.sqrt(sse / Math.max(1, y.length)) };
}

/** The Monday weeks from `first` to `last`, both included. */
export function weekRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let w = first; w <= last && out.length < 2000; w = addDays(w, 7)) out.push(w);
  return out;
}

export interface DemandOptions {
  /** The as-of date: the weeks before the week containing it are complete. */
  asOf: string;
  weeksAhead?: number;
}

/**
 * Weekly demand for the products sold in the last 26 complete weeks (the 50 selling the most units), each
 * with a forecast and 80 % band for the coming weeks, and for tracked stock the days it lasts.
 */
export function productDemand(lines: readonly SaleLineRow[], products: ReadonlyMap<string, ProductRow>, options: DemandOptions): ProductDemand[] {
  const ahead = options.weeksAhead ?? DEMAND_WEEKS_AHEAD;
  const lastWeek = addDays(startOfWeek(options.asOf), -7);
  const firstWeek = addDays(lastWeek, -7 * (DEMAND_HISTORY_WEEKS - 1));
  const units = weeklyUnits(lines, firstWeek, lastWeek);
  const firstSale = new Map<string, string>();
  for (const l of lines) {
    const w = weekOf(l.date);
    if (w > lastWeek) continue;
    const seen = firstSale.get(l.productId);
    if (!seen || w < seen) firstSale.set(l.productId, w);
  }
  const out: (ProductDemand & { recent: number })[] = [];
  for (const [productId, weeks] of units) {
    const product = products.get(productId);
    if (!product || product.archived) continue;
    const start = maxString(firstSale.get(productId) ?? firstWeek, firstWeek);
    const range = weekRange(start, lastWeek);
    if (range.length < MIN_DEMAND_WEEKS) continue;
    const y = range.map((w) => weeks.get(w) ?? 0);
    const model = fitSes(y);
    const perWeek = Math.max(0, model.level);
    const half = Z80 * Math.max(model.rmse, Math.sqrt(perWeek) * 0.5);
    const next = weekRange(addDays(lastWeek, 7), addDays(lastWeek, 7 * ahead));
    const forecast = next.map((week) => ({ week, quantity: round2(perWeek), low: round2(Math.max(0, perWeek - half)), high: round2(perWeek + half) }));
    const stockoutInDays = product.stock === null || perWeek <= 0 ? null : Math.max(0, Math.floor((Math.max(0, product.stock) / perWeek) * 7));
    out.push({
      productId,
      sku: product.sku,
      name: product.name,
      history: range.map((week, i) => ({ week, quantity: y[i]! })),
      weeks: forecast,
      stock: product.stock,
      stockoutInDays,
      text: demandText(product, perWeek, half, stockoutInDays),
      recent: y.slice(-13).reduce((s, v) => s + v, 0),
    });
  }
  return out
    .sort((a, b) => b.recent - a.recent || a.sku.localeCompare(b.sku))
    .slice(0, MAX_DEMAND_PRODUCTS)
    .map(({ recent: _recent, ...d }) => d);
}

function demandText(product: ProductRow, perWeek: number, half: number, days: number | null): string {
  const pace = `${product.name} sells about ${formatUnits(perWeek)} a week (most weeks ${formatUnits(Math.max(0, perWeek - half))} to ${formatUnits(perWeek + half)})`;
  if (product.stock === null) return `${pace}.`;
  if (product.stock <= 0) return `${pace}; it is out of stock.`;
  if (days !== null && days <= LOW_STOCK_HORIZON_DAYS) return `${pace}; low stock in ${days} days (${product.stock} left).`;
  if (product.lowStockAt !== null && product.stock <= product.lowStockAt) return `${pace}; ${product.stock} left, at or below its low-stock mark of ${product.lowStockAt}.`;
  return `${pace}; ${product.stock} in stock${days !== null ? `, enough for about ${days} days` : ''}.`;
}

function formatUnits(n: number): string {
  return n >= 10 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}

export interface DemandBacktest {
  /** Weighted absolute percentage error (Σ|error| / Σ actual units), percent. */
  mape: number | null;
  naiveMape: number | null;
  heldOut: number;
  text: string;
}

/**
 * Each product with 12 complete weeks or more: for each of its last 4 weeks, smoothing fitted on the weeks
 * before it against "same as last week", weighted absolute percentage error over all products' weeks.
 */
export function demandBacktest(lines: readonly SaleLineRow[], asOf: string, heldOutWeeks = 4): DemandBacktest {
  const lastWeek = addDays(startOfWeek(asOf), -7);
  const firstWeek = addDays(lastWeek, -7 * (DEMAND_HISTORY_WEEKS - 1));
  const units = weeklyUnits(lines, firstWeek, lastWeek);
  const firstSale = new Map<string, string>();
  for (const l of lines) {
    const w = weekOf(l.date);
    if (w <= lastWeek && (!firstSale.has(l.productId) || w < firstSale.get(l.productId)!)) firstSale.set(l.productId, w);
  }
  const ours: { actual: number; predicted: number }[] = [];
  const naive: { actual: number; predicted: number }[] = [];
  for (const [productId, weeks] of units) {
    const range = weekRange(maxString(firstSale.get(productId)!, firstWeek), lastWeek);
    if (range.length < 8 + heldOutWeeks) continue;
    const y = range.map((w) => weeks.get(w) ?? 0);
    for (let t = y.length - heldOutWeeks; t < y.length; t++) {
      ours.push({ actual: y[t]!, predicted: fitSes(y.slice(0, t)).level });
      naive.push({ actual: y[t]!, predicted: y[t - 1]! });
    }
  }
  const mape = wape(ours);
  const naiveMape = wape(naive);
  const text =
    mape === null || naiveMape === null
      ? 'A demand backtest needs a product sold over at least 12 complete weeks.'
      : `Tested on the last ${heldOutWeeks} weeks of ${ours.length / heldOutWeeks} products: off by ${mape}% of the units sold, against ${naiveMape}% for "same as last week".`;
  return { mape, naiveMape, heldOut: ours.length, text };
}

/** Who bought what together: customers per product and per (ordered) pair. */
export interface Associations {
  customers: number;
  single: Map<string, number>;
  pair: Map<string, Map<string, number>>;
}

export function associations(all: Iterable<Set<string>>): Associations {
  const single = new Map<string, number>();
  const pair = new Map<string, Map<string, number>>();
  let customers = 0;
  for (const basket of all) {
    if (basket.size === 0) continue;
    customers++;
    const items = [...basket];
    for (const x of items) {
      single.set(x, (single.get(x) ?? 0) + 1);
      let row = pair.get(x);
      if (!row) pair.set(x, (row = new Map()));
      for (const y of items) if (y !== x) row.set(y, (row.get(y) ?? 0) + 1);
    }
  }
  return { customers, single, pair };
}

/** Product ids by how many customers bought them, most first. */
export function popular(a: Associations): string[] {
  return [...a.single].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).map(([id]) => id);
}

/** The strongest pairs: bought together by at least 3 customers, by lift then count. */
export function topBundles(a: Associations, products: ReadonlyMap<string, ProductRow>, limit = 5): Bundle[] {
  const out: Bundle[] = [];
  for (const [x, row] of a.pair) {
    for (const [y, both] of row) {
      if (both < 3 || x > y) continue;
      const sx = a.single.get(x)!;
      const sy = a.single.get(y)!;
      // The direction with the higher confidence reads best: "who bought X also bought Y".
      const [from, to, support] = both / sx >= both / sy ? [x, y, sx] : [y, x, sy];
      const confidence = both / support;
      const lift = (both * a.customers) / (sx * sy);
      if (lift <= 1) continue;
      const name = (id: string) => products.get(id)?.name ?? id;
      out.push({
        productId: from,
        sku: products.get(from)?.sku ?? '',
        withProductId: to,
        withSku: products.get(to)?.sku ?? '',
        customers: both,
        confidence: round2(confidence),
        lift: round2(lift),
        text: `Customers who bought ${name(from)} also bought ${name(to)} (${Math.round(confidence * 100)} %, ${both} customers; ${round2(lift)}x more often than chance).`,
      });
    }
  }
  return out.sort((p, q) => q.lift - p.lift || q.customers - p.customers || (p.productId < q.productId ? -1 : 1)).slice(0, limit);
}

export interface NextBestBacktest {
  /** Share of customers whose held-out last purchase had a product among their 3 recommendations. */
  hitRate: number | null;
  /** The same for the 3 most popular products they did not have. */
  popularHitRate: number | null;
  customers: number;
  text: string;
}

const MIN_BACKTEST_CUSTOMERS = 10;

/**
 * Leave the last purchase out: every customer with an earlier sale and something new in their last sale is
 * tested; the rules learn from everything but those last sales.
 */
export function nextBestBacktest(
  lines: readonly SaleLineRow[],
  products: ReadonlyMap<string, ProductRow>,
  grouped: ReadonlyMap<string, readonly CustomerSale[]> = salesByCustomer(lines),
): NextBestBacktest {
  const held = new Set([...grouped].filter(([, sales]) => sales.length >= 2).map(([customerId]) => customerId));
  // What each customer had before their held-out sale (every customer's products, for "most popular").
  const training = new Map<string, Set<string>>();
  for (const [customerId, sales] of grouped) {
    const owned = new Set<string>();
    for (let i = 0; i < sales.length - (held.has(customerId) ? 1 : 0); i++) for (const id of sales[i]!.items) owned.add(id);
    training.set(customerId, owned);
  }
  const ranked = popular(associations(training.values()));
  const model = suggestionModel(nextRules(grouped, held));
  let tested = 0;
  let hits = 0;
  let popularHits = 0;
  for (const customerId of held) {
    const owned = training.get(customerId)!;
    const fresh = [...grouped.get(customerId)!.at(-1)!.items].filter((id) => !owned.has(id));
    if (fresh.length === 0) continue;
    tested++;
    const ours = suggestNext(model, owned, products, 3).map((r) => r.productId);
    if (ours.some((id) => fresh.includes(id))) hits++;
    const pop = ranked.filter((id) => !owned.has(id) && products.get(id)?.archived === false).slice(0, 3);
    if (pop.some((id) => fresh.includes(id))) popularHits++;
  }
  if (tested < MIN_BACKTEST_CUSTOMERS) {
    return { hitRate: null, popularHitRate: null, customers: tested, text: `A next-best backtest needs ${MIN_BACKTEST_CUSTOMERS} returning customers who bought something new; you have ${tested}.` };
  }
  const hitRate = round2(hits / tested);
  const popularHitRate = round2(popularHits / tested);
  return {
    hitRate,
    popularHitRate,
    customers: tested,
    text:
      hits === 0 && popularHits === 0
        ? `On the last purchase of each of ${tested} returning customers, neither these suggestions nor the 3 most popular products were what they bought: too little to tell yet.`
        : `On each of ${tested} returning customers' last purchase, one of the 3 suggestions was bought ${Math.round(hitRate * 100)}% of the time, against ${Math.round(popularHitRate * 100)}% for the 3 most popular products.`,
  };
}

/** The Monday of a date's week, remembered (a book has a few thousand sale dates and many lines on each). */
function weekOf(date: string): string {
  let week = weeks.get(date);
  if (week === undefined) {
    if (weeks.size > 20_000) weeks.clear();
    weeks.set(date, (week = startOfWeek(date)));
  }
  return week;
}
const weeks = new Map<string, string>();

function maxString(a: string, b: string): string {
  return a > b ? a : b;
}

export interface ProductInsightsInput {
  today: string;
  from: string;
  to: string;
  /** The customer to suggest products for; none: no suggestions, only the bundles. */
  customerId: string | null;
  /** The sale lines up to `to` (all history: demand and the rules learn from it). */
  lines: readonly SaleLineRow[];
  products: readonly ProductRow[];
}

export interface ProductInsights {
  from: string;
  to: string;
  ready: boolean;
  reason?: string;
  bestSellers: BestSeller[];
  demand: ProductDemand[];
  nextBest: NextBest[];
  bundles: Bundle[];
  backtest: { demand: DemandBacktest; nextBest: NextBestBacktest };
}

/**
 * The next best products for any customer of these sales (grouped per customer, as productInsights
 * groups them): the rules are learnt once, at the first customer asked about, and kept by the caller
 * (the insights worker keeps one finder until the books change, so each customer page costs a look-up).
 */
export function nextBestFinder(grouped: ReadonlyMap<string, readonly CustomerSale[]>, products: ReadonlyMap<string, ProductRow>): (customerId: string) => NextBest[] {
  let model: ReturnType<typeof suggestionModel> | null = null;
  return (customerId) => {
    const owned = new Set((grouped.get(customerId) ?? []).flatMap((sale) => [...sale.items]));
    model ??= suggestionModel(nextRules(grouped));
    return suggestNext(model, owned, products, 3);
  };
}

/** The sale lines productInsights reads: those up to `to`, or up to today when `to` is later. */
export function linesUpTo(lines: readonly SaleLineRow[], to: string, today: string): SaleLineRow[] {
  const end = to > today ? today : to;
  return lines.filter((l) => l.date <= end);
}

/** `insights.products`: best sellers of [from, to], demand as of `to`, next best for a customer, with backtests. */
export function productInsights(input: ProductInsightsInput): ProductInsights {
  const to = input.to > input.today ? input.today : input.to;
  const lines = linesUpTo(input.lines, input.to, input.today);
  const products = new Map(input.products.map((p) => [p.id, p]));
  const demandAsOf = addDays(to, 1);
  const grouped = salesByCustomer(lines);
  // Each customer's basket: every product they bought (the first 50: a reseller's 2,000 would cost 4 million pairs).
  const rules = associations([...grouped.values()].map((sales) => new Set([...new Set(sales.flatMap((sale) => [...sale.items]))].slice(0, MAX_BASKET))));
  const result: ProductInsights = {
    from: input.from,
    to,
    ready: lines.length > 0,
    bestSellers: bestSellers(lines, products, input.from, to),
    demand: productDemand(lines, products, { asOf: demandAsOf }),
    nextBest: input.customerId ? nextBestFinder(grouped, products)(input.customerId) : [],
    bundles: topBundles(rules, products),
    backtest: { demand: demandBacktest(lines, demandAsOf), nextBest: nextBestBacktest(lines, products, grouped) },
  };
  if (lines.length === 0) result.reason = input.from > to ? `Nothing to show: ${input.from} is after ${to}.` : 'No counter sales in the books yet.';
  return result;
}
