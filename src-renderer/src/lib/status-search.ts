import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';

export interface StatusSearch<S extends string> {
  status: S | 'all';
  setStatus: (status: S | 'all') => void;
  /** What is typed in the search box; `filter.search` follows it after a pause. */
  searchText: string;
  setSearchText: (text: string) => void;
  page: number;
  setPage: (page: number) => void;
  /** Whether a status or a search hides part of the list. */
  narrowed: boolean;
  /** What the list query takes. */
  filter: { status: S | null; search: string; page: number };
}

/**
 * A paged list's status filter and search, debounced as the user types;
 * a new status or search goes back to the first page. `initialStatus`: where
 * a link from another page starts the list (the dashboard's "open invoices").
 */
export function useStatusSearch<S extends string>(initialStatus: S | 'all' = 'all'): StatusSearch<S> {
  const [status, setStatus] = useState<S | 'all'>(initialStatus);
  const [searchText, setSearchText] = useState('');
  const [search] = useDebouncedValue(searchText, 250);
  const [page, setPage] = useState(0);
  return {
    status,
    setStatus: (next) => {
      setStatus(next);
      setPage(0);
    },
    searchText,
    setSearchText: (text) => {
      setSearchText(text);
      setPage(0);
    },
    page,
    setPage,
    narrowed: status !== 'all' || search.trim() !== '',
    filter: { status: status === 'all' ? null : status, search, page },
  };
}
