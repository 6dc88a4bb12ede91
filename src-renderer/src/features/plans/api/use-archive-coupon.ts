import { useRpcMutation } from '../../../lib/query';
import { refreshCoupons } from './refresh-catalog';

export function useArchiveCoupon() {
  return useRpcMutation('coupons.archive', { onSuccess: refreshCoupons });
}
