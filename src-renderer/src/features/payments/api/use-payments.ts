import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';

export const PAYMENTS_PAGE = 50;

export interface PaymentFilter {
  status: 'succeeded' | 'failed' | null;
  from: string;
  to: string;
  page: number;
}

export function usePayments(filter: PaymentFilter) {
  const input = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
    offset: filter.page * PAYMENTS_PAGE,
    limit: PAYMENTS_PAGE,
  };
  return useRpcQuery('payments.list', input, { placeholderData: keepPreviousData });
}
