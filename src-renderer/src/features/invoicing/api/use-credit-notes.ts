import { useRpcQuery } from '../../../lib/query';

/** The credit notes of an invoice or of a customer, newest first. */
export function useCreditNotes(filter: { invoiceId?: string; customerId?: string }) {
  return useRpcQuery('creditNotes.list', filter);
}
