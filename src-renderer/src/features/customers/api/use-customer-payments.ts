import { useRpcQuery } from '../../../lib/query';

/** The customer's payments, newest first (the most recent 100; the full list lives on the Payments page). */
export function useCustomerPayments(customerId: string) {
  return useRpcQuery('payments.list', { customerId, limit: BILLING_TAB_LIMIT });
}

export const BILLING_TAB_LIMIT = 100;
