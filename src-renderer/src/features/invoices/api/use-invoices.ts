import { keepPreviousData } from '@tanstack/react-query';
import type { InvoiceStatus } from '@shared/domain/billing';
import { useRpcQuery } from '../../../lib/query';

export const INVOICES_PAGE = 50;

export function useInvoices(filter: { status: InvoiceStatus | null; search: string; page: number }) {
  const input = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
    offset: filter.page * INVOICES_PAGE,
    limit: INVOICES_PAGE,
  };
  return useRpcQuery('invoices.list', input, { placeholderData: keepPreviousData });
}
