import { Button, EmptyState, Paper } from '@mantine/core';
import { IconUserQuestion } from '@tabler/icons-react';
import { Link } from 'react-router';

export function CustomerNotFound() {
  return (
    <Paper withBorder radius="md" py={56} px="xl">
      <EmptyState
        icon={<IconUserQuestion size={28} />}
        title="This customer is not on file"
        description="They may have been deleted, or the link is from another business."
        maw={480}
        mx="auto"
      >
        <EmptyState.Actions>
          <Button component={Link} to="/customers">
            Back to customers
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}
