import { queryClient, useRpcMutation } from '../../../lib/query';

const TOUCHED = ['sales.', 'products.', 'customers.', 'metrics.', 'reports.'];

/** Records the sale in one transaction (stock, receipt number, payment); a refusal names the line ("items.N"). */
export function useCreateSale() {
  return useRpcMutation('sales.create', {
    onSuccess: () => void queryClient.invalidateQueries({ predicate: (q) => TOUCHED.some((p) => String(q.queryKey[0]).startsWith(p)) }),
  });
}
