import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';

export function useCoupons(includeArchived: boolean) {
  return useRpcQuery('coupons.list', { includeArchived }, { placeholderData: keepPreviousData });
}
