import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';

/** The search-anything answer for a (debounced) query; idle while the query is empty. */
export function useSearchAnything(query: string) {
  const q = query.trim();
  return useRpcQuery('search.anything', { query: q, limit: 6 }, { enabled: q.length > 0, placeholderData: keepPreviousData, staleTime: 5_000 });
}
