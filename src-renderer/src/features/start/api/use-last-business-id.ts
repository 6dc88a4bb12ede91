import { useQuery } from '@tanstack/react-query';
import { invoke } from '../../../lib/ipc';
import { rpcKey } from '../../../lib/query';

/** The business this PC logged into last (main remembers it at login and sign-up). */
export function useLastBusinessId() {
  return useQuery({
    queryKey: rpcKey('prefs.get', {}),
    queryFn: () => invoke('prefs.get', {}),
    select: (prefs) => prefs.lastBusinessId,
    staleTime: 0,
  });
}
