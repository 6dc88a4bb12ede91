import { useRpcQuery } from '../../../lib/query';

/** One customer with what billing knows of them (counts, amounts, whether they can be deleted). */
export function useCustomer(id: string) {
  return useRpcQuery('customers.get', { id });
}
