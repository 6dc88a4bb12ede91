import { useRpcMutation } from '../../../lib/query';
import { refreshAfterInvoicing } from './refresh';

export function useCreateCreditNote() {
  return useRpcMutation('creditNotes.create', { onSuccess: refreshAfterInvoicing });
}
