import { useMemo } from 'react';
import type { RiskScoresDto } from '@shared/contract/insights-lists';
import { useRpcQuery } from '../../../lib/query';

export type RiskScore = RiskScoresDto['customers'][number];

/** Today's churn score of every paying customer (insights.risk), by id, for the list's risk column. */
export function useRiskScores() {
  const query = useRpcQuery('insights.risk', {});
  const byId = useMemo(() => new Map((query.data?.customers ?? []).map((c) => [c.customerId, c])), [query.data]);
  return { byId, ready: query.data?.ready, reason: query.data?.reason, bands: query.data?.bands ?? null, loading: query.isPending, failed: query.isError };
}
