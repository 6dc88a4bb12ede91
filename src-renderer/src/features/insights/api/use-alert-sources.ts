import { useRpcQuery } from '../../../lib/query';

/** The riskiest customers asked for: enough to find the high-risk ones the alerts name. */
export const ALERT_CHURN_TOP = 20;

/**
 * What the dashboard's alerts read: the riskiest customers, the unusual days and the products
 * running out, as of a date. The same calls as the summary's own facts, so main answers them from its cache.
 */
export function useAlertSources(asOf: string) {
  const churn = useRpcQuery('insights.churn', { asOf, top: ALERT_CHURN_TOP }, { staleTime: 0 });
  const anomalies = useRpcQuery('insights.anomalies', { to: asOf }, { staleTime: 0 });
  const products = useRpcQuery('insights.products', { to: asOf }, { staleTime: 0 });
  return { churn, anomalies, products };
}
