import { formatMoney, isCurrencyCode } from '../domain/money';
import type { AnomalyMetric } from './anomalies';

// The dashboard's summary card (spec/insights.md): 3-6 plain sentences built from
// facts, and every figure in the text is one of the facts' `text`, so a test can
// check the words against the commands the facts come from. Pure: the facts are
// gathered by the core from the metrics and insights handlers themselves.

/** One figure of the summary: `key` names its source ("metrics.mrr" is `metrics`' mrr), `text` is how the sentence shows it. */
export interface SummaryFact {
  key: string;
  value: number | string;
  text: string;
}

export interface SummaryResult {
  asOf: string;
  text: string;
  sentences: string[];
  facts: SummaryFact[];
}

/** What the summary reads: the outputs of metrics.summary and the insights handlers, as they are. */
export interface SummaryInput {
  asOf: string;
  currency: string;
  metrics: { mrr: number; activeSubscribers: number; movements: { net: number } };
  /** The riskiest first (the first is enough when `bandCounts` is given: how many in each band of all of them). */
  churn: {
    ready: boolean;
    reason?: string | undefined;
    customers: readonly { customerId: string; name: string; score: number; band: 'low' | 'medium' | 'high' }[];
    bandCounts?: { high: number; medium: number } | undefined;
  };
  forecast: { ready: boolean; reason?: string | undefined; months: readonly { month: string; mrr: number; low: number; high: number }[] };
  anomalies: {
    ready: boolean;
    from: string;
    anomalies: readonly { date: string; metric: AnomalyMetric; value: number; expected: number; direction: 'up' | 'down' }[];
  };
  products: {
    ready: boolean;
    from: string;
    bestSellers: readonly { name: string; units: number; revenue: number }[];
    demand: readonly { productId: string; name: string; stock: number | null; stockoutInDays: number | null }[];
  };
}

/** A product running out within this many days is worth a sentence (the products model's low-stock horizon). */
export const STOCK_ALERT_DAYS = 28;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const METRIC_WORDS: Record<AnomalyMetric, string> = {
  revenue: 'revenue',
  sales: 'counter sales',
  refunds: 'refunds',
  failedPayments: 'failed payments',
};
const MONEY_METRICS: ReadonlySet<AnomalyMetric> = new Set(['revenue', 'refunds']);

/** "2026-11-30" → "30 November 2026". */
export function longDay(date: string): string {
  const [y, m, d] = date.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}

/** "2026-11" → "November 2026". */
export function longMonth(month: string): string {
  const [y, m] = month.split('-');
  return `${MONTHS[Number(m) - 1]} ${y}`;
}

/** The products that run out soonest (or are out), soonest first: the dashboard's stock alerts. */
export function runningOut<T extends SummaryInput['products']['demand'][number]>(demand: readonly T[]): T[] {
  const days = (d: T) => (d.stock !== null && d.stock <= 0 ? 0 : (d.stockoutInDays ?? Infinity));
  return demand.filter((d) => d.stock !== null && days(d) <= STOCK_ALERT_DAYS).sort((a, b) => days(a) - days(b) || a.name.localeCompare(b.name));
}

/** The card: up to 6 sentences, each figure a fact. */
export function buildSummary(input: SummaryInput): SummaryResult {
  const facts: SummaryFact[] = [];
  const money = (n: number) => (isCurrencyCode(input.currency) ? formatMoney(n, input.currency) : `${(n / 100).toFixed(2)} ${input.currency}`);
  /** Records a fact and gives back its text for the sentence. */
  const fact = (key: string, value: number | string, text: string) => {
    facts.push({ key, value, text });
    return text;
  };
  const count = (key: string, n: number) => fact(key, n, String(n));
  const amount = (key: string, n: number) => fact(key, n, money(n));
  const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
  const sentences: string[] = [];

  // 1. Where recurring revenue stands.
  const m = input.metrics;
  const net = m.movements.net;
  const change =
    net === 0 ? (fact('metrics.movements.net', 0, 'unchanged'), 'unchanged since the month began') : `${net > 0 ? 'up' : 'down'} ${fact('metrics.movements.net', net, money(Math.abs(net)))} since the month began`;
  sentences.push(
    `Monthly recurring revenue is ${amount('metrics.mrr', m.mrr)} from ${count('metrics.activeSubscribers', m.activeSubscribers)} active ${plural(m.activeSubscribers, 'subscriber', 'subscribers')}, ${change}.`,
  );

  // 2. Who may leave.
  const churn = input.churn;
  if (!churn.ready) {
    sentences.push(`Churn risk is not ready yet: ${fact('churn.reason', churn.reason ?? '', churn.reason ?? 'the books are too thin.')}`);
  } else if (churn.customers.length === 0) {
    sentences.push('Churn risk: nobody is paying, so nobody is scored.');
  } else {
    const high = churn.bandCounts?.high ?? churn.customers.filter((c) => c.band === 'high').length;
    const medium = churn.bandCounts?.medium ?? churn.customers.filter((c) => c.band === 'medium').length;
    const top = churn.customers[0]!;
    if (high > 0) {
      sentences.push(
        `${count('churn.high', high)} paying ${plural(high, 'customer is', 'customers are')} at high risk of leaving in the next three months; the riskiest, ${fact('churn.top.name', top.name, top.name)}, has a ${fact('churn.top.score', top.score, `${top.score} %`)} chance of leaving.`,
      );
    } else {
      sentences.push(`No paying customer is at high risk of leaving in the next three months; ${count('churn.medium', medium)} ${plural(medium, 'is', 'are')} at medium risk.`);
    }
  }

  // 3. Where revenue is heading.
  const f = input.forecast;
  const next = f.months[0];
  if (!f.ready || !next) {
    sentences.push(`The revenue forecast is not ready yet: ${fact('forecast.reason', f.reason ?? '', f.reason ?? 'there is too little history.')}`);
  } else {
    sentences.push(
      `For ${fact('forecast.month', next.month, longMonth(next.month))}, recurring revenue plus counter sales should come to about ${amount('forecast.mrr', next.mrr)}, most likely between ${amount('forecast.low', next.low)} and ${amount('forecast.high', next.high)}.`,
    );
  }

  // 4. Anything odd.
  const a = input.anomalies;
  if (a.ready) {
    const latest = [...a.anomalies].sort((x, y) => (x.date < y.date ? 1 : x.date > y.date ? -1 : 0))[0];
    const since = fact('anomalies.from', a.from, longDay(a.from));
    if (!latest) sentences.push(`No day since ${since} looked unusual.`);
    else {
      const show = (key: string, n: number) => (MONEY_METRICS.has(latest.metric) ? amount(key, n) : count(key, n));
      const n = a.anomalies.length;
      sentences.push(
        `Since ${since}, ${count('anomalies.count', n)} ${plural(n, 'day looked', 'days looked')} unusual; the latest, ${fact('anomalies.latest.date', latest.date, longDay(latest.date))}, had ${METRIC_WORDS[latest.metric]} of ${show('anomalies.latest.value', latest.value)} where about ${show('anomalies.latest.expected', latest.expected)} is usual.`,
      );
    }
  }

  // 5. What sells, and what runs out.
  const p = input.products;
  const best = p.bestSellers[0];
  if (best) {
    sentences.push(
      `The best seller since ${fact('products.from', p.from, longDay(p.from))} is ${fact('products.best.name', best.name, best.name)}: ${count('products.best.units', best.units)} sold for ${amount('products.best.revenue', best.revenue)}.`,
    );
  }
  const low = runningOut(p.demand)[0];
  if (low) {
    const name = fact('stock.name', low.name, low.name);
    sentences.push(
      low.stock !== null && low.stock <= 0
        ? `${name} is out of stock.`
        : `${name} will run out in about ${fact('stock.days', low.stockoutInDays!, `${low.stockoutInDays} ${plural(low.stockoutInDays!, 'day', 'days')}`)} (${count('stock.left', low.stock!)} left).`,
    );
  }

  return { asOf: input.asOf, text: sentences.join(' '), sentences, facts };
}
