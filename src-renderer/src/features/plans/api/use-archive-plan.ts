import { useRpcMutation } from '../../../lib/query';
import { refreshPlans } from './refresh-catalog';

export function useArchivePlan() {
  return useRpcMutation('plans.archive', { onSuccess: refreshPlans });
}
