import type { Input } from '../../../../src-shared/contract';
import type { CustomerFilter, CustomerSortColumn, CustomerStatus } from '../../../../src-shared/domain/customers';
import { PAGE_SIZE } from './list-window';

/** What the filter controls hold; `undefined` means "any". */
export interface ListFilter {
  search: string;
  status?: CustomerStatus | undefined;
  segment?: string | undefined;
  tag?: string | undefined;
  hasActiveSubscription?: boolean | undefined;
  hasUnpaidInvoices?: boolean | undefined;
}

export interface ListSort {
  column: CustomerSortColumn;
  direction: 'asc' | 'desc';
}

export const NO_FILTER: ListFilter = { search: '' };
export const DEFAULT_SORT: ListSort = { column: 'name', direction: 'asc' };

/** The filter as the contract takes it: only the keys that narrow the list (the same object drives bulk and export). */
export function toContractFilter(filter: ListFilter): CustomerFilter {
  const out: CustomerFilter = { search: filter.search.trim() };
  if (filter.status) out.status = filter.status;
  if (filter.segment) out.segment = filter.segment;
  if (filter.tag) out.tag = filter.tag;
  if (filter.hasActiveSubscription !== undefined) out.hasActiveSubscription = filter.hasActiveSubscription;
  if (filter.hasUnpaidInvoices !== undefined) out.hasUnpaidInvoices = filter.hasUnpaidInvoices;
  return out;
}

export function isFiltered(filter: ListFilter): boolean {
  const narrowed = toContractFilter(filter);
  return narrowed.search !== '' || Object.keys(narrowed).length > 1;
}

/** One page of the list; only the first page of a filter pays for the count. */
export function listPageInput(filter: ListFilter, sort: ListSort, page: number): Input<'customers.list'> {
  return {
    ...toContractFilter(filter),
    sort: sort.column,
    direction: sort.direction,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
    withTotal: page === 0,
  };
}

/** Clicking a header: a new column sorts ascending (newest first for dates), the same column flips. */
export function nextSort(current: ListSort, column: CustomerSortColumn): ListSort {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: column === 'createdAt' ? 'desc' : 'asc' };
}
