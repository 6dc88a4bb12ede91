import { queryClient, rpcKey, useRpcMutation } from '../../../lib/query';

/**
 * Creates a business and its owner, logged in in main. The window enters the
 * app (setSession) only once the owner has saved the recovery key.
 */
export function useSignUp() {
  return useRpcMutation('business.signUp', {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rpcKey('business.list') });
      void queryClient.invalidateQueries({ queryKey: rpcKey('prefs.get') });
    },
  });
}
