import { Anchor, Button, Center, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry } from '@shared/contract/audit';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { TableCard } from '../../../components/ScrollTable';
import { formatDateTime } from '../../../lib/format';
import { useAuditLog } from '../api/use-audit-log';
import { changedFields, describeAction, describeEntity } from '../describe-audit';
import { AuditDetailsModal } from './AuditDetailsModal';

/** Settings → Audit log: every change and login, newest first (owner only). */
export function AuditLogPanel() {
  const log = useAuditLog();
  const [open, setOpen] = useState<AuditEntry | null>(null);

  if (log.isPending) return <CenteredLoader label="Loading the audit log" />;
  if (log.isError) return <QueryError title="Could not load the audit log" error={log.error} onRetry={() => void log.refetch()} />;

  const entries = log.data.pages.flatMap((page) => page.entries);
  return (
    <Stack gap="md">
      <div>
        <Text fw={600}>Who changed what, and when</Text>
        <Text size="sm" c="dimmed">
          Every change and login is recorded here and cannot be edited.
        </Text>
      </div>
      <TableCard
        minWidth={760}
        striped
        columns={['When', 'Who', 'What', 'Record']}
      >
        {entries.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={4}>
              <Text size="sm" c="dimmed" ta="center" py="md">
                Nothing has been recorded yet.
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {entries.map((entry) => (
          <Table.Tr key={entry.id}>
            <Table.Td>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(entry.at)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{entry.userEmail ?? 'Recurra'}</Text>
            </Table.Td>
            <Table.Td>
              {changedFields(entry.before, entry.after).length > 0 ? (
                <Anchor component="button" type="button" size="sm" onClick={() => setOpen(entry)}>
                  {describeAction(entry.action)}
                </Anchor>
              ) : (
                <Text size="sm">{describeAction(entry.action)}</Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm" c="dimmed">
                {describeEntity(entry)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </TableCard>
      {log.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
            Load older entries
          </Button>
        </Center>
      )}
      {open && <AuditDetailsModal entry={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
