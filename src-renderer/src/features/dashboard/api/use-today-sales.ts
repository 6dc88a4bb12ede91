import { useRpcQuery } from '../../../lib/query';

/**
 * Whether the business sells at the counter at all: a business that only
 * bills subscriptions is not shown an empty "today's sales".
 */
export function useSellsAtCounter(): boolean {
  const any = useRpcQuery('sales.list', { limit: 1, offset: 0 }, { staleTime: 60_000 });
  return (any.data?.total ?? 0) > 0;
}
