import { keepPreviousData } from '@tanstack/react-query';
import type { Input } from '@shared/contract';
import { queryClient, useRpcMutation, useRpcQuery } from '../../lib/query';

/** After a change made here, refetch every products.* query now (the data-changed event would, a moment later). */
export function refreshProducts(): void {
  void queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('products.') });
}

export const useProducts = (input: Input<'products.list'>) => useRpcQuery('products.list', input, { placeholderData: keepPreviousData });
export const useProductCategories = () => useRpcQuery('products.categories', {});
export const useProductMovements = (id: string) => useRpcQuery('products.movements', { id, limit: 200 });
export const useCreateProduct = () => useRpcMutation('products.create', { onSuccess: refreshProducts });
export const useUpdateProduct = () => useRpcMutation('products.update', { onSuccess: refreshProducts });
export const useArchiveProduct = () => useRpcMutation('products.archive', { onSuccess: refreshProducts });
export const useUnarchiveProduct = () => useRpcMutation('products.unarchive', { onSuccess: refreshProducts });
export const useAdjustStock = () => useRpcMutation('products.adjustStock', { onSuccess: refreshProducts });
/** Writes a CSV: to the file the save dialog chose in the app, or to a one-time download in the browser host. */
export const useExportProducts = () => useRpcMutation('products.export');
