import { useRpcQuery } from '../../../lib/query';

/** The business this PC logged into last (main remembers it at login and sign-up). */
export function useLastBusinessId() {
  return useRpcQuery('prefs.get', {}, { staleTime: 0, select: (prefs) => prefs.lastBusinessId });
}
