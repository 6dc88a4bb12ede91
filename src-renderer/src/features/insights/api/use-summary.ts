import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';

/** The summary card's sentences and facts as of a date; asked again each time the dashboard opens (the books may have moved). */
export function useSummary(asOf: string) {
  return useRpcQuery('insights.summary', { asOf }, { placeholderData: keepPreviousData, staleTime: 0 });
}
