import { useRpcQuery } from '../../../lib/query';

/** Best sellers and weekly demand of the last 90 days (insights.products). */
export function useProductInsights() {
  return useRpcQuery('insights.products', {});
}

/** Unusual days of the last 90 days (insights.anomalies). */
export function useAnomalies() {
  return useRpcQuery('insights.anomalies', {});
}

/** The daily figures the anomalies were checked on, for the chart (insights.days). */
export function useSalesDays() {
  return useRpcQuery('insights.days', {});
}
