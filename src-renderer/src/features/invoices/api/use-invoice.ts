import { useRpcQuery } from '../../../lib/query';

/** One invoice with its lines, payments and refunds (by id or by number). */
export function useInvoice(id: string) {
  return useRpcQuery('invoices.get', { id });
}
