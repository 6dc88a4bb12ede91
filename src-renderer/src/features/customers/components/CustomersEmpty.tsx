import { Button, EmptyState, Paper } from '@mantine/core';
import { IconFileImport, IconFilterOff, IconSearch, IconUserPlus, IconUsers, IconX } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { useCan } from '../../../lib/auth';

/** A business with no customers yet: the two ways to get some. */
export function NoCustomersYet({ onAdd }: { onAdd: () => void }) {
  const canEdit = useCan('staff');
  return (
    <Paper withBorder radius="md" py={56} px="xl">
      <EmptyState
        icon={<IconUsers size={28} />}
        variant="light"
        title="No customers yet"
        description={
          canEdit
            ? 'Add the people and companies you bill one by one, or bring your whole list over from a spreadsheet saved as CSV.'
            : 'Customers appear here as soon as the owner or staff add them.'
        }
        maw={560}
        mx="auto"
      >
        {canEdit && (
          <EmptyState.Actions>
            <Button leftSection={<IconUserPlus size={16} />} onClick={onAdd}>
              Add your first customer
            </Button>
            <Button variant="default" component={Link} to="/customers/import" leftSection={<IconFileImport size={16} />}>
              Import from CSV
            </Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
    </Paper>
  );
}

interface NoMatchesProps {
  /** What was searched for ('' when only filters narrow the list). */
  search: string;
  /** Filters other than the search narrow the list too. */
  filtered: boolean;
  onClearSearch(): void;
  onClearFilters(): void;
}

/** The one message a list that matches nobody shows, with the ways back to customers. */
export function NoMatches({ search, filtered, onClearSearch, onClearFilters }: NoMatchesProps) {
  const title = search ? `No customers match “${search}”` : 'No customers match these filters';
  const description = search
    ? filtered
      ? 'Nobody the filters show has that name, email, company or phone, and no name is close to it. Clear the filters to search every customer.'
      : 'No name, email, company or phone contains it, and none is close to it. Check the spelling, or search for part of a name.'
    : 'Loosen or clear the filters to see more customers.';
  return (
    <EmptyPanel icon={<IconSearch size={26} />} title={title} description={description}>
      <EmptyState.Actions>
        {search && (
          <Button variant={filtered ? 'default' : 'filled'} leftSection={<IconX size={16} />} onClick={onClearSearch}>
            Clear search
          </Button>
        )}
        {filtered && (
          <Button variant={search ? 'filled' : 'default'} leftSection={<IconFilterOff size={16} />} onClick={onClearFilters}>
            Clear filters
          </Button>
        )}
      </EmptyState.Actions>
    </EmptyPanel>
  );
}
