import { useRpcMutation } from '../../../lib/query';
import { refreshPlans } from './refresh-catalog';

export function useUnarchivePlan() {
  return useRpcMutation('plans.unarchive', { onSuccess: refreshPlans });
}
