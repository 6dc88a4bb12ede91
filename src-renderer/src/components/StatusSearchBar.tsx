import { Group, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { StatusSearch } from '../lib/status-search';
import { StatusChips } from './StatusChips';

interface StatusSearchBarProps<S extends string> {
  /** The status and search state, from `useStatusSearch`. */
  view: Pick<StatusSearch<S>, 'status' | 'setStatus' | 'searchText' | 'setSearchText'>;
  statuses: readonly S[];
  labels: Record<S, string>;
  /** The search box's accessible name: "Search invoices". */
  searchLabel: string;
  searchPlaceholder: string;
}

/** Above a list: status chips on the left, the search box on the right. */
export function StatusSearchBar<S extends string>({ view, statuses, labels, searchLabel, searchPlaceholder }: StatusSearchBarProps<S>) {
  return (
    <Group justify="space-between" gap="sm">
      <StatusChips statuses={statuses} labels={labels} value={view.status} onChange={view.setStatus} />
      <TextInput
        type="search"
        aria-label={searchLabel}
        placeholder={searchPlaceholder}
        leftSection={<IconSearch size={16} />}
        value={view.searchText}
        onChange={(e) => view.setSearchText(e.currentTarget.value)}
        w={260}
      />
    </Group>
  );
}
