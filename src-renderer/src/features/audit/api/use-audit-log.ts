import { useInfiniteQuery } from '@tanstack/react-query';
import type { Output } from '@shared/contract';
import { invoke, type RpcError } from '../../../lib/ipc';
import { rpcKey } from '../../../lib/query';

const PAGE_SIZE = 50;

/** Newest first, a page at a time; "load more" asks for entries older than the last one shown. */
export function useAuditLog() {
  return useInfiniteQuery<Output<'audit.list'>, RpcError>({
    queryKey: [...rpcKey('audit.list'), 'newest-first', PAGE_SIZE],
    queryFn: ({ pageParam }) => invoke('audit.list', { limit: PAGE_SIZE, before: pageParam as string | undefined }),
    initialPageParam: undefined,
    getNextPageParam: (last) => (last.hasMore ? last.entries.at(-1)?.id : undefined),
    staleTime: 0, // writes name their module, not "audit": refetch whenever the tab is opened
  });
}
