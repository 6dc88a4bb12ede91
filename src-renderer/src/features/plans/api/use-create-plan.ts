import { useRpcMutation } from '../../../lib/query';
import { refreshPlans } from './refresh-catalog';

export function useCreatePlan() {
  return useRpcMutation('plans.create', { onSuccess: refreshPlans });
}
