import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../../../lib/query';

/** When the business's recovery key was made, and by whom (owners only). */
export function useRecoveryKeyInfo() {
  return useRpcQuery('auth.recoveryKeyInfo', {});
}

export function useNewRecoveryKey() {
  return useRpcMutation('auth.newRecoveryKey', {
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rpcKey('auth.recoveryKeyInfo') }),
  });
}
