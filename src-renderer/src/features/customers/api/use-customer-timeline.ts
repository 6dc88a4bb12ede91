import { useInfiniteQuery } from '@tanstack/react-query';
import type { Output } from '@shared/contract';
import { invoke, type RpcError } from '../../../lib/ipc';
import { rpcKey } from '../../../lib/query';

export const TIMELINE_PAGE = 20;

/** A customer's timeline, newest first; each further page starts before the last entry shown. */
export function useCustomerTimeline(id: string) {
  return useInfiniteQuery<Output<'customers.timeline'>, RpcError, Output<'customers.timeline'>['entries'], ReturnType<typeof rpcKey>, string | undefined>({
    queryKey: rpcKey('customers.timeline', { id, limit: TIMELINE_PAGE }),
    queryFn: ({ pageParam }) => invoke('customers.timeline', { id, limit: TIMELINE_PAGE, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: undefined,
    getNextPageParam: (last) => (last.hasMore ? last.entries.at(-1)?.id : undefined),
    select: (data) => data.pages.flatMap((page) => page.entries),
  });
}
