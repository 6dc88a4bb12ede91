import { placeServerError } from '../../../lib/form-errors';
import { queryClient, useRpcMutation } from '../../../lib/query';
import { useBillingRun } from '../stores/billing-run-store';

/** Runs billing as of a date; the run indicator follows it wherever it was started from. */
export function useRunBilling() {
  return useRpcMutation('billing.run', {
    onMutate: ({ asOf }) => useBillingRun.getState().requested(asOf),
    onSuccess: (result) => useBillingRun.getState().succeeded(result),
    onError: (error) => useBillingRun.getState().failed(placeServerError(error, []).message),
    onSettled: () => void queryClient.invalidateQueries({ predicate: (q) => /^(billing|invoices|payments|subscriptions|customers)\./.test(String(q.queryKey[0])) }),
  });
}
