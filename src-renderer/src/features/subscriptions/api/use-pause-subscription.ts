import { useRpcMutation } from '../../../lib/query';
import { refreshSubscriptions } from './refresh-subscriptions';

export function usePauseSubscription() {
  return useRpcMutation('subscriptions.pause', { onSuccess: refreshSubscriptions });
}
