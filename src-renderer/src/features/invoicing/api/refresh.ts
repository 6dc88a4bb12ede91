import { queryClient } from '../../../lib/query';

const TOUCHED = ['invoices.', 'payments.', 'subscriptions.', 'customers.', 'creditNotes.', 'reports.'];

/** After a write made here, refetch what it touches now (the data-changed event would, a moment later). */
export function refreshAfterInvoicing(): void {
  void queryClient.invalidateQueries({ predicate: (q) => TOUCHED.some((prefix) => String(q.queryKey[0]).startsWith(prefix)) });
}
