import { useRpcQuery } from '../../../lib/query';

/** The customer's subscriptions, newest first (the most recent 100; the full list lives on the Subscriptions page). */
export function useCustomerSubscriptions(customerId: string) {
  return useRpcQuery('subscriptions.list', { customerId, limit: BILLING_TAB_LIMIT });
}

export const BILLING_TAB_LIMIT = 100;
