import { useRpcMutation } from '../../../lib/query';
import { refreshSubscriptions } from './refresh-subscriptions';

export function useCreateSubscription() {
  return useRpcMutation('subscriptions.create', { onSuccess: refreshSubscriptions });
}
