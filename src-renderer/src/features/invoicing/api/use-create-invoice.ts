import { useRpcMutation } from '../../../lib/query';
import { refreshAfterInvoicing } from './refresh';

export function useCreateInvoice() {
  return useRpcMutation('invoices.create', { onSuccess: refreshAfterInvoicing });
}
