import { Modal, Stack, Table, Text } from '@mantine/core';
import type { AuditEntry } from '@shared/contract/audit';
import { formatDateTime } from '../../../lib/format';
import { changedFields, describeAction, describeEntity } from '../describe-audit';

/** Before and after of one change, field by field. */
export function AuditDetailsModal({ entry, onClose }: { entry: AuditEntry; onClose: () => void }) {
  const changes = changedFields(entry.before, entry.after);
  return (
    <Modal opened onClose={onClose} title={describeAction(entry.action)} centered size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {describeEntity(entry)} · {entry.userEmail ?? 'Recurra'} · {formatDateTime(entry.at)}
        </Text>
        {changes.length === 0 ? (
          <Text size="sm">No field values were recorded for this entry.</Text>
        ) : (
          <Table.ScrollContainer minWidth={480} type="native">
            <Table withTableBorder withColumnBorders verticalSpacing="xs" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Before</Table.Th>
                  <Table.Th>After</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {changes.map((change) => (
                  <Table.Tr key={change.field}>
                    <Table.Td fw={500}>{change.field}</Table.Td>
                    <Table.Td c="dimmed" style={{ wordBreak: 'break-word' }}>
                      {change.before || '—'}
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{change.after || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Modal>
  );
}
