import { useRpcQuery } from '../../../lib/query';

/** How many customers, and how many with a subscription, for the first-run guide. */
export function useCustomerStats() {
  return useRpcQuery('customers.stats', {});
}
