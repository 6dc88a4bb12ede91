import { queryClient, rpcKey, useRpcMutation } from '../../../lib/query';

/** A new owner password set with the recovery key; main logs this window in (the screen enters the app once the new key is saved). */
export function useRecover() {
  return useRpcMutation('auth.recover', {
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rpcKey('prefs.get') }),
  });
}
