import { useQuery, useQueryClient } from '@tanstack/react-query';
import { invoke } from '../../../lib/ipc';
import { rpcKey, useRpcMutation } from '../../../lib/query';

/** This PC's update address (a preference of the PC, not of the business); '' means no update checks. */
export function useUpdateUrl() {
  return useQuery({
    queryKey: rpcKey('prefs.get', {}),
    queryFn: () => invoke('prefs.get', {}),
    select: (prefs) => prefs.updateUrl ?? '',
  });
}

/** Owner only; audited. */
export function useSaveUpdateUrl() {
  const client = useQueryClient();
  return useRpcMutation('prefs.setUpdateUrl', {
    onSuccess: (prefs) => client.setQueryData(rpcKey('prefs.get', {}), prefs),
  });
}
