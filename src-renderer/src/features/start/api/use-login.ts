import { setSession } from '../../../lib/auth';
import { queryClient, rpcKey, useRpcMutation } from '../../../lib/query';

export function useLogin() {
  return useRpcMutation('auth.login', {
    onSuccess: (session) => {
      void queryClient.invalidateQueries({ queryKey: rpcKey('prefs.get') });
      setSession(session);
    },
  });
}
