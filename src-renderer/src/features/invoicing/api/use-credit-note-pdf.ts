import { useRpcMutation } from '../../../lib/query';

export function useCreditNotePdf() {
  return useRpcMutation('creditNotes.pdf');
}
