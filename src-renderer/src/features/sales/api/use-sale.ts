import { queryClient, useRpcMutation, useRpcQuery } from '../../../lib/query';

const TOUCHED = ['sales.', 'products.', 'customers.', 'invoices.', 'metrics.', 'reports.'];
const refresh = () => void queryClient.invalidateQueries({ predicate: (q) => TOUCHED.some((p) => String(q.queryKey[0]).startsWith(p)) });

/** A sale with its refunds. */
export function useSale(id: string) {
  return useRpcQuery('sales.get', { id });
}

/** Gives back the whole sale or some lines (stock comes back); the owner's. */
export function useRefundSale() {
  return useRpcMutation('sales.refund', { onSuccess: refresh });
}

/** An invoice (already paid) for a sale with a customer. */
export function useInvoiceSale() {
  return useRpcMutation('sales.invoice', { onSuccess: refresh });
}

/** The end-of-day (Z) report of a business date. */
export function useDayReport(on: string) {
  return useRpcQuery('sales.dayReport', { on });
}
