import { useRpcMutation } from '../../../lib/query';
import { refreshSubscriptions } from './refresh-subscriptions';

export function useChangeSubscription() {
  return useRpcMutation('subscriptions.change', { onSuccess: refreshSubscriptions });
}
