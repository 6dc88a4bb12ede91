import type { ReactNode } from 'react';
import { CenteredLoader } from './CenteredLoader';
import { QueryError } from './QueryError';

interface ListStatesProps {
  query: { isPending: boolean; isError: boolean; error: Error | null; data: unknown; refetch: () => unknown };
  /** "invoices": for "Loading invoices" and "Could not load the invoices". */
  what: string;
  /** Whether the loaded list has nothing in it; `empty` is shown instead of the list. */
  isEmpty?: boolean;
  empty?: ReactNode;
  /** The list, shown once it has loaded. */
  children: ReactNode;
}

/** A loaded list, or what stands in for it: a loader, the load error, or its empty state. */
export function ListStates({ query, what, isEmpty = false, empty, children }: ListStatesProps) {
  return (
    <>
      {query.isPending && <CenteredLoader label={`Loading ${what}`} />}
      {query.isError && <QueryError title={`Could not load the ${what}`} error={query.error} onRetry={() => void query.refetch()} />}
      {query.data !== undefined && (isEmpty ? empty : children)}
    </>
  );
}
