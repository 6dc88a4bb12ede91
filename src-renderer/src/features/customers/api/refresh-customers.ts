import { queryClient } from '../../../lib/query';

/** After a change made here, refetch every customers.* query now (the data-changed event would, a moment later). */
export function refreshCustomers(): void {
  void queryClient.invalidateQueries({ predicate: (query) => String(query.queryKey[0]).startsWith('customers.') });
}
