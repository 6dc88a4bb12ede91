import { refreshSession } from '../../../lib/auth';
import { queryClient, rpcKey, useRpcMutation, useRpcQuery } from '../../../lib/query';

/** The owner's own two-factor state and the business's requirement (one call: auth.twoFactorStatus). */
export function useTwoFactorRequirement() {
  return useRpcQuery('auth.twoFactorStatus', {});
}

export function useSetTwoFactorRequired() {
  return useRpcMutation('auth.setTwoFactorRequired', {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rpcKey('auth.twoFactorStatus') });
      refreshSession();
    },
  });
}
