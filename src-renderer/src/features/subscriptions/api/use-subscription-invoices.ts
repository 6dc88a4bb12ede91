import { useRpcQuery } from '../../../lib/query';

/** The invoices a subscription produced, newest first. */
export function useSubscriptionInvoices(subscriptionId: string) {
  return useRpcQuery('invoices.list', { subscriptionId, limit: 24 });
}
