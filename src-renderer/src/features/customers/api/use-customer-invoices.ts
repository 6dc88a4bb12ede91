import { useRpcQuery } from '../../../lib/query';

/** The customer's invoices, newest first (the most recent 100; the full list lives on the Invoices page). */
export function useCustomerInvoices(customerId: string) {
  return useRpcQuery('invoices.list', { customerId, limit: BILLING_TAB_LIMIT });
}

export const BILLING_TAB_LIMIT = 100;
