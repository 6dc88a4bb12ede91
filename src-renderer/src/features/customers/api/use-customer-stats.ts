import { useRpcQuery } from '../../../lib/query';

export function useCustomerStats() {
  return useRpcQuery('customers.stats', {});
}
