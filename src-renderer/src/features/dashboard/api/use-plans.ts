import { useRpcQuery } from '../../../lib/query';

/** The plans on sale, for the first-run guide ("create a plan" is done once there is one). */
export function usePlans() {
  return useRpcQuery('plans.list', { includeArchived: false });
}
