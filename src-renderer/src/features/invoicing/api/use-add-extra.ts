import { useRpcMutation } from '../../../lib/query';
import { refreshAfterInvoicing } from './refresh';

export function useAddExtra() {
  return useRpcMutation('subscriptions.addExtra', { onSuccess: refreshAfterInvoicing });
}
