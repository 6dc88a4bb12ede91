import { useRpcQuery } from '../../../lib/query';

/** The logged-in business's full profile and billing settings. */
export function useBusiness() {
  return useRpcQuery('business.get', {});
}
