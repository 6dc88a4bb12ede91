import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../../../lib/query';

export function useApiKeys() {
  return useRpcQuery('apiKeys.list', {});
}

/** After a change, refetch the list now (the data-changed event would, a moment later). */
function refreshApiKeys(): void {
  void queryClient.invalidateQueries({ queryKey: rpcKey('apiKeys.list') });
}

export function useCreateApiKey() {
  return useRpcMutation('apiKeys.create', { onSuccess: refreshApiKeys });
}

export function useRevokeApiKey() {
  return useRpcMutation('apiKeys.revoke', { onSuccess: refreshApiKeys });
}
