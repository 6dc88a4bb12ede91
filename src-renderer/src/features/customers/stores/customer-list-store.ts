import { create } from 'zustand';
import type { CustomerSortColumn } from '@shared/domain/customers';
import { DEFAULT_SORT, NO_FILTER, nextSort, type ListFilter, type ListSort } from '../list-filter';
import { ALL_MATCHING, NOTHING_SELECTED, selectRange, toggleRow, type Selection } from '../selection';

/**
 * The customer list's UI state: it outlives the page, so coming back from a
 * customer finds the same filter, sort, selection and scroll position.
 */
interface CustomerListState {
  /** The business this state belongs to; another business starts afresh. */
  businessId: string | null;
  filter: ListFilter;
  /** What is in the search box; it becomes filter.search a moment after typing stops. */
  searchText: string;
  sort: ListSort;
  selection: Selection;
  /** The row a shift-click extends from. */
  anchorIndex: number | null;
  scrollOffset: number;
  excelFriendly: boolean;
  forBusiness(businessId: string): void;
  setFilter(changes: Partial<ListFilter>): void;
  typeSearch(text: string): void;
  /** Applies the typed search, unless the box changed since (cleared, typed on). */
  commitSearch(text: string): void;
  clearFilters(): void;
  /** Empties the search box and keeps the other filters. */
  clearSearch(): void;
  /** Opens a saved view: its search, filters and order replace the list's. */
  showView(filter: ListFilter, sort: ListSort): void;
  sortBy(column: CustomerSortColumn): void;
  toggleRow(id: string, index: number): void;
  selectRange(index: number, rangeIds: readonly string[]): void;
  selectAllMatching(): void;
  clearSelection(): void;
  setScrollOffset(offset: number): void;
  setExcelFriendly(on: boolean): void;
}

// A different filter is a different list: the old selection and scroll position no longer mean anything.
const freshList = { selection: NOTHING_SELECTED, anchorIndex: null, scrollOffset: 0 };

export const useCustomerList = create<CustomerListState>((set, get) => ({
  businessId: null,
  filter: NO_FILTER,
  searchText: '',
  sort: DEFAULT_SORT,
  ...freshList,
  excelFriendly: false,
  forBusiness: (businessId) => {
    if (get().businessId !== businessId) set({ businessId, filter: NO_FILTER, searchText: '', sort: DEFAULT_SORT, ...freshList });
  },
  setFilter: (changes) => set((s) => ({ filter: { ...s.filter, ...changes }, ...freshList })),
  typeSearch: (searchText) => set({ searchText }),
  commitSearch: (text) => {
    const { searchText, filter } = get();
    if (text === searchText && text.trim() !== filter.search.trim()) set({ filter: { ...filter, search: text }, ...freshList });
  },
  clearFilters: () => set({ filter: NO_FILTER, searchText: '', ...freshList }),
  clearSearch: () => set((s) => ({ filter: { ...s.filter, search: '' }, searchText: '', ...freshList })),
  showView: (filter, sort) => set({ filter, searchText: filter.search, sort, ...freshList }),
  sortBy: (column) => set((s) => ({ sort: nextSort(s.sort, column), anchorIndex: null, scrollOffset: 0 })),
  toggleRow: (id, index) => set((s) => ({ selection: toggleRow(s.selection, id), anchorIndex: index })),
  selectRange: (index, rangeIds) => set((s) => ({ selection: selectRange(s.selection, rangeIds), anchorIndex: index })),
  selectAllMatching: () => set({ selection: ALL_MATCHING, anchorIndex: null }),
  clearSelection: () => set({ selection: NOTHING_SELECTED, anchorIndex: null }),
  setScrollOffset: (scrollOffset) => set({ scrollOffset }),
  setExcelFriendly: (excelFriendly) => set({ excelFriendly }),
}));
