import { useRpcQuery } from '../../../lib/query';

export function useCouponOptions() {
  return useRpcQuery('coupons.list', { includeArchived: false });
}
