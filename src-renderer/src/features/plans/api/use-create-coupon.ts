import { useRpcMutation } from '../../../lib/query';
import { refreshCoupons } from './refresh-catalog';

export function useCreateCoupon() {
  return useRpcMutation('coupons.create', { onSuccess: refreshCoupons });
}
