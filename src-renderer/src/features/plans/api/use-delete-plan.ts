import { useRpcMutation } from '../../../lib/query';
import { refreshPlans } from './refresh-catalog';

export function useDeletePlan() {
  return useRpcMutation('plans.delete', { onSuccess: refreshPlans });
}
