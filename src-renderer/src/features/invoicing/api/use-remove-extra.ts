import { useRpcMutation } from '../../../lib/query';
import { refreshAfterInvoicing } from './refresh';

export function useRemoveExtra() {
  return useRpcMutation('subscriptions.removeExtra', { onSuccess: refreshAfterInvoicing });
}
