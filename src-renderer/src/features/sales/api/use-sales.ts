import { keepPreviousData } from '@tanstack/react-query';
import type { SaleMethod, SaleStatus } from '@shared/contract/sales';
import { useRpcQuery } from '../../../lib/query';

export const SALES_PAGE = 50;

export interface SaleFilter {
  from: string;
  to: string;
  method: SaleMethod | 'split' | null;
  status: SaleStatus | null;
  customer: { id: string; name: string } | null;
  search: string;
  page: number;
}

export const NO_FILTER: SaleFilter = { from: '', to: '', method: null, status: null, customer: null, search: '', page: 0 };

export function isFiltered(f: SaleFilter): boolean {
  return f.from !== '' || f.to !== '' || f.method !== null || f.status !== null || f.customer !== null || f.search.trim() !== '';
}

export function useSales(filter: SaleFilter) {
  const input = {
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
    ...(filter.method ? { method: filter.method } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.customer ? { customerId: filter.customer.id } : {}),
    ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
    offset: filter.page * SALES_PAGE,
    limit: SALES_PAGE,
  };
  return useRpcQuery('sales.list', input, { placeholderData: keepPreviousData });
}
