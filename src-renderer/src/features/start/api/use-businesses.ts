import { useRpcQuery } from '../../../lib/query';

/** The businesses kept on this PC. */
export function useBusinesses() {
  return useRpcQuery('business.list', {});
}
