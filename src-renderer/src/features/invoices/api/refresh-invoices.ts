import { queryClient } from '../../../lib/query';

const TOUCHED = ['invoices.', 'payments.', 'subscriptions.', 'customers.', 'billing.'];

/** After a payment or a void made here, refetch what it touches now (the data-changed event would, a moment later). */
export function refreshInvoices(): void {
  void queryClient.invalidateQueries({ predicate: (q) => TOUCHED.some((prefix) => String(q.queryKey[0]).startsWith(prefix)) });
}
