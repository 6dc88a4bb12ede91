import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../../../lib/query';

const refreshViews = () => void queryClient.invalidateQueries({ queryKey: rpcKey('customerViews.list') });

/** The business's saved customer lists, by name. */
export function useCustomerViews() {
  return useRpcQuery('customerViews.list', {});
}

export function useSaveCustomerView() {
  return useRpcMutation('customerViews.save', { onSuccess: refreshViews });
}

export function useDeleteCustomerView() {
  return useRpcMutation('customerViews.delete', { onSuccess: refreshViews });
}
