import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Customer } from '@shared/domain/customers';
import { invoke } from '../../../lib/ipc';
import { rpcKey } from '../../../lib/query';
import { listPageInput, type ListFilter, type ListSort } from '../list-filter';

// Pages scrolled past are dropped from the cache after a minute, so a long scroll does not hold 100,000 rows.
const PAGE_GC_MS = 60_000;

/** Pages 1.. of the list as they scroll into view, without the count; the map has only the loaded ones. */
export function useCustomerLaterPages(filter: ListFilter, sort: ListSort, pages: readonly number[]): Map<number, Customer[]> {
  const wanted = pages.filter((page) => page > 0);
  const wantedKey = wanted.join(',');
  // The same query list object while the pages stay the same, as the list re-renders on every row scrolled.
  const queries = useMemo(
    () =>
      wantedKey
        .split(',')
        .filter(Boolean)
        .map((text) => {
          const input = listPageInput(filter, sort, Number(text));
          return { queryKey: rpcKey('customers.list', input), queryFn: () => invoke('customers.list', input), gcTime: PAGE_GC_MS };
        }),
    [filter, sort, wantedKey],
  );
  return useQueries({
    queries,
    combine: (results) => {
      const loaded = new Map<number, Customer[]>();
      results.forEach((result, i) => {
        const page = wanted[i];
        if (page !== undefined && result.data) loaded.set(page, result.data.rows);
      });
      return loaded;
    },
  });
}
