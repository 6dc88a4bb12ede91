import {
  QueryClient,
  useMutation,
  useQuery,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import type { Input, MethodName, Output } from '@shared/contract';
import { invoke, onEvent, type RpcError } from './ipc';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
    mutations: { retry: false },
  },
});

/** Query keys start with the method name, so invalidating a module refreshes all its queries. */
export function rpcKey<M extends MethodName>(method: M, input?: Input<M>) {
  return input === undefined ? [method] : [method, input];
}

export function useRpcQuery<M extends MethodName>(
  method: M,
  input: Input<M>,
  options: Omit<UseQueryOptions<Output<M>, RpcError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<Output<M>, RpcError>({
    queryKey: rpcKey(method, input),
    queryFn: () => invoke(method, input),
    ...options,
  });
}

export function useRpcMutation<M extends MethodName>(
  method: M,
  options: Omit<UseMutationOptions<Output<M>, RpcError, Input<M>>, 'mutationFn'> = {},
) {
  return useMutation<Output<M>, RpcError, Input<M>>({
    mutationFn: (input) => invoke(method, input),
    ...options,
  });
}

/**
 * Modules whose answers are computed from everything else (figures, reports):
 * any change to the business's data may move them, whatever module it names
 * (a customer added is a new customer in the growth chart and the customers report; a payment moves a churn score).
 */
const DERIVED_MODULES = ['metrics', 'reports', 'insights'];
/** Changes that touch no figure: who may log in, which customer lists are saved, API keys. */
const NOT_FIGURES = new Set(['users', 'auth', 'customerViews', 'apiKeys']);

/** Whether a query of `method` is out of date once `entities` changed. */
export function isStaleAfter(method: string, entities: readonly string[]): boolean {
  const module = method.split('.')[0] ?? '';
  if (entities.includes(module) || entities.some((e) => method.startsWith(`${e}.`))) return true;
  return DERIVED_MODULES.includes(module) && entities.some((e) => !NOT_FIGURES.has(e));
}

/**
 * A committed write in main names the entities it changed; every query whose
 * method belongs to one of those modules is refreshed, and the figures with them.
 */
export function listenForChanges(client: QueryClient = queryClient): () => void {
  return onEvent('data-changed', ({ entities }) => {
    void client.invalidateQueries({ predicate: (query) => isStaleAfter(String(query.queryKey[0] ?? ''), entities) });
  });
}
