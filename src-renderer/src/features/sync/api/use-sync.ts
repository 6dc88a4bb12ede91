import { queryClient, useRpcMutation, useRpcQuery } from '../../../lib/query';

// One hook per sync.* method (src-shared/contract/sync.ts, sync-auto.ts).

/** Refetch everything sync shows now (the data-changed event would, a moment later). */
export function refreshSync(): void {
  void queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('sync.') });
}

/** The server's view (asks it; offline: what this PC last knew). */
export function useSyncStatus() {
  return useRpcQuery('sync.status', {}, { staleTime: 10_000 });
}

/** The header's view: local reads only. */
export function useSyncIndicator() {
  return useRpcQuery('sync.indicator', {}, { staleTime: 5_000, refetchInterval: 30_000 });
}

export function useSyncConflicts(enabled: boolean) {
  return useRpcQuery('sync.conflicts', {}, { enabled });
}

export const useConnectSync = () => useRpcMutation('sync.connect', { onSettled: refreshSync });
export const usePairPc = () => useRpcMutation('sync.pair');
export const useSyncNow = () => useRpcMutation('sync.now', { onSettled: refreshSync });
export const useTakeBillingDevice = () => useRpcMutation('sync.takeBillingDevice', { onSettled: refreshSync });
export const useDisconnectSync = () => useRpcMutation('sync.disconnect', { onSettled: refreshSync });
export const useJoinBusiness = () =>
  useRpcMutation('sync.join', { onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['business.list'] }) });
