import { useRpcMutation } from '../../../lib/query';
import { refreshInvoices } from './refresh-invoices';

export function usePayInvoice() {
  return useRpcMutation('invoices.pay', { onSuccess: refreshInvoices });
}
