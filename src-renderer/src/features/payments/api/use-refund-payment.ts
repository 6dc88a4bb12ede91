import { queryClient, useRpcMutation } from '../../../lib/query';

const TOUCHED = ['payments.', 'invoices.', 'customers.'];

export function useRefundPayment() {
  return useRpcMutation('payments.refund', {
    onSuccess: () => void queryClient.invalidateQueries({ predicate: (q) => TOUCHED.some((p) => String(q.queryKey[0]).startsWith(p)) }),
  });
}
