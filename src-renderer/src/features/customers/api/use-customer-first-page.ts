import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';
import { listPageInput, type ListFilter, type ListSort } from '../list-filter';

/** Page 0 of the list with the total; the previous results stay on screen while a new search loads. */
export function useCustomerFirstPage(filter: ListFilter, sort: ListSort) {
  return useRpcQuery('customers.list', listPageInput(filter, sort, 0), { placeholderData: keepPreviousData });
}
