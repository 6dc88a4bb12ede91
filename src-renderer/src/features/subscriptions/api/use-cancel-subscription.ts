import { useRpcMutation } from '../../../lib/query';
import { refreshSubscriptions } from './refresh-subscriptions';

export function useCancelSubscription() {
  return useRpcMutation('subscriptions.cancel', { onSuccess: refreshSubscriptions });
}
