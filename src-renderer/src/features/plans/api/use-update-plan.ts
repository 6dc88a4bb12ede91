import { useRpcMutation } from '../../../lib/query';
import { refreshPlans } from './refresh-catalog';

export function useUpdatePlan() {
  return useRpcMutation('plans.update', { onSuccess: refreshPlans });
}
