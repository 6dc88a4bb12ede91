import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';

export function usePlans(includeArchived: boolean) {
  return useRpcQuery('plans.list', { includeArchived }, { placeholderData: keepPreviousData });
}
