import type { ChurnResultDto } from '@shared/contract/insights';
import type { AnomaliesOutput, ProductInsightsOutput } from '@shared/contract/insights-sales';
import { addDays } from '@shared/domain/dates';
import { runningOut } from '@shared/insights/summary';

// The dashboard's alerts (spec/insights.md "Where it shows"): a high-risk customer, an
// unusual day, stock running out. Each alert is a sentence of the model's own, and a link.

export interface InsightAlert {
  kind: 'churn' | 'anomaly' | 'stock';
  key: string;
  title: string;
  text: string;
  /** Where a click goes (a customer, the products), when there is a page for it. */
  to: string | null;
}

const METRIC_LABEL = { revenue: 'revenue', sales: 'counter sales', refunds: 'refunds', failedPayments: 'failed payments' } as const;

/** An unusual day is news for this long after it (the summary card counts the whole period). */
export const ANOMALY_ALERT_DAYS = 30;

/** At most this many alerts of each kind. */
export const ALERTS_PER_KIND = 3;

export function alertItems(sources: { churn?: ChurnResultDto | undefined; anomalies?: AnomaliesOutput | undefined; products?: ProductInsightsOutput | undefined }): InsightAlert[] {
  const alerts: InsightAlert[] = [];
  const { churn, anomalies, products } = sources;
  if (churn?.ready) {
    for (const c of churn.customers.filter((x) => x.band === 'high').slice(0, ALERTS_PER_KIND)) {
      const why = c.factors.filter((f) => f.effect > 0).map((f) => f.text);
      alerts.push({
        kind: 'churn',
        key: `churn:${c.customerId}`,
        title: `${c.name} may leave: ${c.score} % chance within 90 days`,
        text: why.length > 0 ? `Mostly because: ${why.join('; ')}.` : 'High risk for this business, though no single reason stands out.',
        to: `/customers/${c.customerId}`,
      });
    }
  }
  if (anomalies?.ready) {
    const since = addDays(anomalies.to, -(ANOMALY_ALERT_DAYS - 1));
    const latest = anomalies.anomalies.filter((a) => a.date >= since).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)).slice(0, ALERTS_PER_KIND);
    for (const a of latest) {
      alerts.push({ kind: 'anomaly', key: `anomaly:${a.date}:${a.metric}`, title: `${a.direction === 'up' ? 'Unusually high' : 'Unusually low'} ${METRIC_LABEL[a.metric]}`, text: a.text, to: null });
    }
  }
  if (products?.ready) {
    for (const d of runningOut(products.demand).slice(0, ALERTS_PER_KIND)) {
      alerts.push({ kind: 'stock', key: `stock:${d.productId}`, title: d.stock !== null && d.stock <= 0 ? `${d.name} is out of stock` : `${d.name} is running out`, text: d.text, to: '/products' });
    }
  }
  return alerts;
}
