import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';

/** Customers matching what is typed in the picker (the server searches name, email and company). */
export function useCustomerOptions(search: string, enabled: boolean) {
  return useRpcQuery(
    'customers.list',
    { search: search.trim(), status: 'active', limit: 20, withTotal: false, sort: 'name', direction: 'asc' },
    { placeholderData: keepPreviousData, enabled },
  );
}
