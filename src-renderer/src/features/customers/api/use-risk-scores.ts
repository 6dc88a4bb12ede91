import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { RiskScoresDto } from '@shared/contract/insights-lists';
import type { Customer } from '@shared/domain/customers';
import { invoke } from '../../../lib/ipc';
import { rpcKey, useRpcQuery } from '../../../lib/query';

export type RiskScore = RiskScoresDto['customers'][number];

const PAGE_GC_MS = 60_000;

/** Whether today's churn scores are ready, and what the bands mean (insights.risk with no rows): the notice above the list. */
export function useRiskSummary() {
  const query = useRpcQuery('insights.risk', { limit: 0 });
  return { ready: query.data?.ready, reason: query.data?.reason, bands: query.data?.bands ?? null, failed: query.isError };
}

/**
 * The churn scores of the rows the list has loaded, one insights.risk page per list page (never the
 * whole list: several MB at 100,000 customers). `loaded` says which rows' scores have arrived: a row
 * whose page is still on its way shows nothing yet, not "no score".
 */
export function useRiskScores(pages: ReadonlyMap<number, readonly Customer[]>) {
  const summary = useRiskSummary();
  const wanted = [...pages.entries()].sort(([a], [b]) => a - b);
  const wantedKey = wanted.map(([page, rows]) => `${page}:${rows.map((r) => r.id).join(' ')}`).join(',');
  // The same query list while the loaded pages stay the same, as the list re-renders on every row scrolled.
  const queries = useMemo(
    () =>
      wanted.map(([, rows]) => {
        const input = { customerIds: rows.map((r) => r.id), limit: Math.max(rows.length, 1) };
        return { queryKey: rpcKey('insights.risk', input), queryFn: () => invoke('insights.risk', input), gcTime: PAGE_GC_MS };
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- wantedKey names the pages and their rows
    [wantedKey],
  );
  const scores = useQueries({
    queries,
    combine: (results) => {
      const byId = new Map<string, RiskScore>();
      const loaded = new Set<string>();
      let failed = false;
      results.forEach((result, i) => {
        if (result.isError) failed = true;
        if (!result.data) return;
        for (const c of result.data.customers) byId.set(c.customerId, c);
        for (const row of wanted[i]?.[1] ?? []) loaded.add(row.id);
      });
      return { byId, loaded, failed };
    },
  });
  return { ...summary, ...scores, failed: summary.failed || scores.failed };
}
