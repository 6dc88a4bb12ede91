import { useRpcQuery } from '../../../lib/query';

export function useSubscription(id: string) {
  return useRpcQuery('subscriptions.get', { id });
}
