import type { Input } from '@shared/contract';
import type { CustomerFilter, CustomerSortColumn, CustomerStatus } from '@shared/domain/customers';
import { PAGE_SIZE } from './list-window';

/** What the filter controls hold; `undefined` means "any". */
export interface ListFilter {
  search: string;
  status?: CustomerStatus | undefined;
  segment?: string | undefined;
  tag?: string | undefined;
  hasActiveSubscription?: boolean | undefined;
  hasUnpaidInvoices?: boolean | undefined;
  /** Churn risk today in the medium or high band. */
  atRisk?: boolean | undefined;
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
  if (filter.atRisk !== undefined) out.atRisk = filter.atRisk;
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
  return { column, direction: column === 'createdAt' || column === 'risk' ? 'desc' : 'asc' };
}

/** A saved view's filter as the list's controls hold it. */
export function fromContractFilter(filter: CustomerFilter): ListFilter {
  return { ...NO_FILTER, ...filter, search: filter.search ?? '' };
}

/** Whether the list shows exactly what a saved view holds (its name then labels the menu). */
export function sameList(a: { filter: CustomerFilter; sort: ListSort }, b: { filter: CustomerFilter; sort: ListSort }): boolean {
  const key = (x: { filter: CustomerFilter; sort: ListSort }) => {
    const f = toContractFilter(fromContractFilter(x.filter));
    return JSON.stringify([f.search, f.status, f.segment, f.tag, f.hasActiveSubscription, f.hasUnpaidInvoices, f.atRisk, x.sort.column, x.sort.direction]);
  };
  return key(a) === key(b);
}

const SORT_WORDS: Record<CustomerSortColumn, string> = {
  name: 'name',
  email: 'email',
  company: 'company',
  phone: 'phone',
  segment: 'segment',
  status: 'status',
  paymentMethod: 'payment method',
  creditBalance: 'credit balance',
  createdAt: 'date added',
  risk: 'churn risk',
};

/** The built-in view "At risk": who may leave soon (medium or high churn risk), riskiest first. */
export const AT_RISK_VIEW = { name: 'At risk', filter: { search: '', atRisk: true } as CustomerFilter, sort: { column: 'risk', direction: 'desc' } as ListSort };

/** "sorted by name (A to Z)", "newest first": the order in words. */
export function describeSort(sort: ListSort): string {
  if (sort.column === 'createdAt') return sort.direction === 'desc' ? 'newest first' : 'oldest first';
  if (sort.column === 'risk') return sort.direction === 'desc' ? 'riskiest first' : 'safest first';
  if (sort.column === 'creditBalance') return `sorted by credit balance (${sort.direction === 'asc' ? 'smallest first' : 'largest first'})`;
  return `sorted by ${SORT_WORDS[sort.column]} (${sort.direction === 'asc' ? 'A to Z' : 'Z to A'})`;
}

/** The list in one sentence: "Active customers tagged vip who owe money, sorted by name (A to Z)." */
export function describeList(filter: ListFilter, sort: ListSort): string {
  const f = toContractFilter(filter);
  const who = [f.status === 'active' ? 'Active customers' : f.status === 'inactive' ? 'Inactive customers' : 'Customers'];
  if (f.search) who.push(`matching “${f.search}”`);
  if (f.segment) who.push(`in the ${f.segment} segment`);
  if (f.tag) who.push(`tagged ${f.tag}`);
  const also: string[] = [];
  if (f.hasActiveSubscription !== undefined) also.push(f.hasActiveSubscription ? 'have a subscription' : 'have no subscription');
  if (f.hasUnpaidInvoices !== undefined) also.push(f.hasUnpaidInvoices ? 'owe money' : 'are paid up');
  if (f.atRisk !== undefined) also.push(f.atRisk ? 'may leave soon (medium or high churn risk)' : 'are not at risk');
  const sentence = also.length ? `${who.join(' ')} who ${also.join(' and ')}` : who.join(' ');
  return `${sentence}, ${describeSort(sort)}.`;
}
