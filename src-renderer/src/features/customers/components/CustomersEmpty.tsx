import { Button, EmptyState, Paper } from '@mantine/core';
import { IconFileImport, IconFilterOff, IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
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

export function NoMatches({ onClear }: { onClear: () => void }) {
  return (
    <EmptyPanel
      icon={<IconSearch size={26} />}
      title="No customers match"
      description="Check the spelling, search for part of a name, email or company, or clear the filters."
    >
      <EmptyState.Actions>
        <Button variant="default" leftSection={<IconFilterOff size={16} />} onClick={onClear}>
          Clear filters
        </Button>
      </EmptyState.Actions>
    </EmptyPanel>
  );
}
