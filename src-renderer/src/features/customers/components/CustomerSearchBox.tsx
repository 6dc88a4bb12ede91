import { CloseButton, Kbd, Loader, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import type { KeyboardEvent, Ref } from 'react';
import { useCustomerList } from '../stores/customer-list-store';
import classes from './CustomersPage.module.css';

const SEARCH_DELAY_MS = 150;

interface CustomerSearchBoxProps {
  inputRef: Ref<HTMLInputElement>;
  /** A search is on its way (the old results are still shown). */
  searching: boolean;
  /** Arrow Down from the box moves into the list. */
  onLeaveDown(): void;
}

/** Name, email, company, phone or notes; typos still find close matches. */
export function CustomerSearchBox({ inputRef, searching, onLeaveDown }: CustomerSearchBoxProps) {
  const text = useCustomerList((s) => s.searchText);
  const { typeSearch, commitSearch } = useCustomerList.getState();
  const commit = useDebouncedCallback(commitSearch, SEARCH_DELAY_MS);

  const change = (value: string) => {
    typeSearch(value);
    commit(value);
  };

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
