import { queryClient } from '../../../lib/query';

/** After a change made here, refetch plans and coupons now (the data-changed event would, a moment later). */
export function refreshPlans(): void {
  void queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('plans.') });
}

export function refreshCoupons(): void {
  void queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('coupons.') });
}
