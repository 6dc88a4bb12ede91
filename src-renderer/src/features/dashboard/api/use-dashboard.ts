import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';

/**
 * Everything the dashboard shows as of a date. Its key starts with `metrics.`,
 * so a billing run or any change to the business's data refreshes it (lib/query.ts).
 */
export function useDashboard(asOf: string) {
  return useRpcQuery('metrics.dashboard', { asOf }, { placeholderData: keepPreviousData, staleTime: 0 });
}
