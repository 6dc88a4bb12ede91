import { useRpcQuery } from '../../../lib/query';

/** The last runs; refreshed by data-changed 'billing' after every run. */
export function useBillingStatus() {
  return useRpcQuery('billing.status', {}, { staleTime: 0 });
}
