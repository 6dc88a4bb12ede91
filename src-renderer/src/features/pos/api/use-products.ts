import { keepPreviousData } from '@tanstack/react-query';
import { invoke, RpcError } from '../../../lib/ipc';
import { useRpcQuery } from '../../../lib/query';

/** Products whose name or SKU matches what the counter typed (archived ones left out). */
export function useProductSearch(search: string) {
  const text = search.trim();
  return useRpcQuery('products.list', { search: text, limit: 8, offset: 0 }, { enabled: text.length > 0, placeholderData: keepPreviousData, staleTime: 5_000 });
}

/** The product with exactly this SKU (case-insensitive), as a barcode scanner types it; null when there is none. */
export async function productBySku(sku: string) {
  try {
    return await invoke('products.bySku', { sku });
  } catch (error) {
    if (error instanceof RpcError && (error.code === 'not_found' || error.code === 'validation')) return null;
    throw error;
  }
}
