import { useRpcQuery } from '../../../lib/query';

/** The plans a subscription can be made on or moved to (archived ones are no longer offered). */
export function usePlanOptions() {
  return useRpcQuery('plans.list', { includeArchived: false });
}
