import { Button, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { ScrollTable } from '../../../components/ScrollTable';
import { downloadText } from '../../../lib/download';
import { formatDateTime } from '../../../lib/format';
import { useSyncConflicts } from '../api/use-sync';
import { conflictsCsv, entityLabel, valueText } from '../sync-text';

/** What sync decided for you: the same field edited on two PCs keeps the later edit; the other is listed here. */
export function ConflictsTable() {
  const conflicts = useSyncConflicts(true);
  // Newest first; a row's "last changed" stamp is left out: it says nothing the owner can act on.
  const rows = (conflicts.data ?? []).slice().reverse();
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div style={{ flex: '1 1 320px' }}>
          <Title order={4}>Conflicts</Title>
          <Text size="sm" c="dimmed">
            When two PCs changed the same thing before syncing, the later change is kept and the other is listed here, so nothing is lost
            silently. Check these and correct by hand where needed.
          </Text>
        </div>
        {rows.length > 0 && (
          <Button variant="default" size="xs" leftSection={<IconDownload size={14} />} onClick={() => downloadText(conflictsCsv(rows), 'sync-conflicts.csv')}>
            Download CSV
          </Button>
        )}
      </Group>
      <Paper withBorder radius="md">
        {conflicts.isError ? (
          <Text p="md" c="red" size="sm">
            {conflicts.error.message}
          </Text>
        ) : rows.length === 0 ? (
          <Text p="md" c="dimmed" size="sm">
            {conflicts.isPending ? 'Loading…' : 'No conflicts: sync has not had to choose between two edits.'}
          </Text>
        ) : (
          <ScrollTable minWidth={640} columns={['What', 'Field', 'Kept', 'Overwritten', 'When']} verticalSpacing="xs" horizontalSpacing="md" aria-label="Sync conflicts">
            {rows.map((c, i) => (
              <Table.Tr key={`${c.entity}-${c.id}-${c.field}-${c.at}-${i}`}>
                <Table.Td>
                  <Tooltip label={c.id}>
                    <Text span size="sm">
                      {entityLabel(c.entity)}
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td>{c.field}</Table.Td>
                <Table.Td fw={600}>{valueText(c.kept)}</Table.Td>
                <Table.Td c="dimmed" td="line-through">
                  {valueText(c.overwritten)}
                </Table.Td>
                <Table.Td>{formatDateTime(c.at)}</Table.Td>
              </Table.Tr>
            ))}
          </ScrollTable>
        )}
      </Paper>
    </Stack>
  );
}
