import { useRpcMutation } from '../../../lib/query';
import { refreshInvoices } from './refresh-invoices';

export function useVoidInvoice() {
  return useRpcMutation('invoices.void', { onSuccess: refreshInvoices });
}
