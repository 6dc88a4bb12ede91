import { useRpcQuery } from '../../../lib/query';

/** One customer's churn risk with its factors, lifetime value with its basis, and next best products, today. */
export function useCustomerInsight(customerId: string) {
  return useRpcQuery('insights.customer', { customerId }, { staleTime: 0 });
}
