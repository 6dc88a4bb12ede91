import { setSession } from '../../../lib/auth';
import { queryClient, rpcKey, useRpcMutation } from '../../../lib/query';

/** Creates a business and its owner, and logs this window in as that owner. */
export function useSignUp() {
  return useRpcMutation('business.signUp', {
    onSuccess: (session) => {
      void queryClient.invalidateQueries({ queryKey: rpcKey('business.list') });
      void queryClient.invalidateQueries({ queryKey: rpcKey('prefs.get') });
      setSession(session);
    },
  });
}
