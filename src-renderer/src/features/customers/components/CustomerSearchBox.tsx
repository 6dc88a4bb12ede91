import { CloseButton, Kbd, Loader, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, type KeyboardEvent, type Ref } from 'react';
import { useCustomerList } from '../stores/customer-list-store';
import classes from './CustomersPage.module.css';

interface CustomerSearchBoxProps {
  inputRef: Ref<HTMLInputElement>;
  /** A search is on its way (the old results are still shown). */
  searching: boolean;
  /** The list's first page is being fetched: a new search waits for it rather than queue behind it. */
  busy: boolean;
  /** Arrow Down from the box moves into the list. */
  onLeaveDown(): void;
}

/**
 * One or two letters match thousands and cost main a scan (too short for the search index): they
 * wait for typing to pause this long, as the next key usually comes first.
 */
const SHORT_SEARCH_PAUSE_MS = 250;
const searchesAtOnce = (text: string) => text.trim() === '' || text.trim().length >= 3;

/**
 * Name, email, company, phone or notes; typos still find close matches.
 *
 * No fixed debounce: a keystroke searches at once when no search is on its way; while one is, the
 * keystrokes only change the box, and the latest text is searched the moment that answer is in.
 * One search at a time, never a queue of stale ones, and no idle wait after the last key.
 */
export function CustomerSearchBox({ inputRef, searching, busy, onLeaveDown }: CustomerSearchBoxProps) {
  const text = useCustomerList((s) => s.searchText);
  const searched = useCustomerList((s) => s.filter.search);
  const { typeSearch, commitSearch } = useCustomerList.getState();

  // Runs after each keystroke (React runs a key's effects before the next event) and when an answer comes in.
  useEffect(() => {
    if (busy || text.trim() === searched.trim()) return;
    if (searchesAtOnce(text)) return commitSearch(text);
    const pause = setTimeout(() => commitSearch(text), SHORT_SEARCH_PAUSE_MS);
    return () => clearTimeout(pause);
  }, [busy, text, searched, commitSearch]);

  const change = (value: string) => typeSearch(value);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      onLeaveDown();
    } else if (event.key === 'Escape' && text) {
      change('');
    } else if (event.key === 'Enter') {
      commitSearch(text);
    }
  };

  return (
    <TextInput
      ref={inputRef}
      type="search"
      aria-label="Search customers"
      placeholder="Search by name, email, company or phone"
      leftSection={<IconSearch size={16} />}
      rightSectionWidth={text ? 36 : 44}
      rightSection={
        searching ? (
          <Loader size={14} aria-label="Searching" />
        ) : text ? (
          <CloseButton size="sm" aria-label="Clear the search" onClick={() => change('')} />
        ) : (
          <Kbd size="xs" title="Press / to search">/</Kbd>
        )
      }
      value={text}
      onChange={(event) => change(event.currentTarget.value)}
      onKeyDown={onKeyDown}
      classNames={{ input: classes.search }}
      style={{ flex: '1 1 260px' }}
      miw={220}
    />
  );
}
