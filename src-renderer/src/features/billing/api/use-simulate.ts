import { keepPreviousData } from '@tanstack/react-query';
import { useRpcQuery } from '../../../lib/query';

/** The next months of invoices and revenue, worked out by the real engine on a copy; nothing is written. */
export function useSimulate(from: string, months: number) {
  return useRpcQuery('billing.simulate', { from, months }, { placeholderData: keepPreviousData, staleTime: 0 });
}
