import { queryClient } from '../../../lib/query';

const TOUCHED = ['subscriptions.', 'invoices.', 'payments.', 'customers.', 'billing.'];

/** After a subscription change made here, refetch what it touches now (the data-changed event would, a moment later). */
export function refreshSubscriptions(): void {
  void queryClient.invalidateQueries({ predicate: (q) => TOUCHED.some((prefix) => String(q.queryKey[0]).startsWith(prefix)) });
}
