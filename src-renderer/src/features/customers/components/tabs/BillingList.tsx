import { Paper, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { CenteredLoader } from '../../../../components/CenteredLoader';
import { EmptyPanel } from '../../../../components/EmptyPanel';
import { QueryError } from '../../../../components/QueryError';
import type { RpcError } from '../../../../lib/ipc';

interface BillingListProps {
  query: { isPending: boolean; isError: boolean; error: RpcError | null; refetch: () => unknown; data?: { rows: unknown[]; total: number } | undefined };
  /** "subscriptions", for the error title and the "first N of M" line. */
  what: string;
  icon: ReactNode;
  emptyTitle: string;
  emptyText: string;
  head: ReactNode;
  children: ReactNode;
}

/** A customer's billing records as a table, with its loading, error and empty states. */
export function BillingList({ query, what, icon, emptyTitle, emptyText, head, children }: BillingListProps) {
  if (query.isPending) return <CenteredLoader label={`Loading ${what}`} />;
  if (query.isError) return <QueryError title={`Could not load the ${what}`} error={query.error} onRetry={() => void query.refetch()} />;
  const { rows, total } = query.data ?? { rows: [], total: 0 };
  if (rows.length === 0) {
    return <EmptyPanel icon={icon} title={emptyTitle} description={emptyText} />;
  }
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={720} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid={`customer-${what}`}>
          <Table.Thead>{head}</Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {total > rows.length && (
        <Text size="xs" c="dimmed" px="md" py="xs">
          The latest {rows.length} of {total.toLocaleString()} {what}.
        </Text>
      )}
    </Paper>
  );
}
