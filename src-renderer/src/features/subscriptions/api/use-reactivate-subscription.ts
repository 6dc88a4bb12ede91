import { useRpcMutation } from '../../../lib/query';
import { refreshSubscriptions } from './refresh-subscriptions';

export function useReactivateSubscription() {
  return useRpcMutation('subscriptions.reactivate', { onSuccess: refreshSubscriptions });
}
