import { useRpcMutation } from '../../../lib/query';
import { refreshSubscriptions } from './refresh-subscriptions';

export function useResumeSubscription() {
  return useRpcMutation('subscriptions.resume', { onSuccess: refreshSubscriptions });
}
