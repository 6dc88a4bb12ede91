import { Badge, Button, Group, Select, SegmentedControl, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMail, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import type { OutboxRow } from '@shared/contract/email';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { Pager } from '../../../components/Pager';
import { actionsColumn, TableCard } from '../../../components/ScrollTable';
import { useCan } from '../../../lib/auth';
import { placeServerError } from '../../../lib/form-errors';
import { formatDateTime } from '../../../lib/format';
import { OUTBOX_PAGE, useOutbox, useSendNow, type OutboxFilter } from '../api/use-email';

const KIND_LABELS: Record<OutboxRow['kind'], string> = { test: 'Test', invoice: 'Invoice', reminder: 'Reminder', campaign: 'Campaign', receipt: 'Receipt' };
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** What a row's status means to a person: a failed email with a next try is "retrying". */
export function outboxStatus(row: Pick<OutboxRow, 'status' | 'nextAttemptAt'>): { label: string; color: string } {
  switch (row.status) {
    case 'sent':
      return { label: 'Sent', color: 'green' };
    case 'sending':
      return { label: 'Sending', color: 'blue' };
    case 'queued':
      return { label: 'Queued', color: 'gray' };
    case 'failed':
      return row.nextAttemptAt ? { label: 'Retrying', color: 'yellow' } : { label: 'Failed', color: 'red' };
  }
}

/** Every email the business sent or will send: status, the server's answer, and "Send now". */
export function OutboxPage() {
  const canSend = useCan('staff');
  const [filter, setFilter] = useState<OutboxFilter>({ status: null, kind: null, search: '', page: 0 });
  const list = useOutbox(filter);
  const sendNow = useSendNow();
  const total = list.data?.total ?? 0;
  const narrowed = filter.status !== null || filter.kind !== null || filter.search !== '';
  const update = (changes: Partial<OutboxFilter>) => setFilter((f) => ({ ...f, page: 0, ...changes }));
  const send = (row: OutboxRow) =>
    sendNow.mutate(
      { id: row.id },
      {
        onSuccess: ({ email }) =>
          email.status === 'sent'
            ? notifications.show({ color: 'green', title: 'Email sent', message: `${email.subject} to ${email.to}` })
            : notifications.show({ color: 'red', title: 'Not sent', message: email.lastError ?? 'The server did not take it' }),
        onError: (e) => notifications.show({ color: 'red', title: 'Not sent', message: placeServerError(e, []).message }),
      },
    );

  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email sent through your SMTP server: invoices, payment reminders and test messages. A failed email is tried again after 1, 5, 30 and 120 minutes."
      />
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" gap="sm">
          <SegmentedControl
            aria-label="Email status"
            value={filter.status ?? 'all'}
            onChange={(v) => update({ status: v === 'all' ? null : (v as OutboxFilter['status']) })}
            data={[
              { value: 'all', label: 'All' },
              { value: 'queued', label: 'Queued' },
              { value: 'sent', label: 'Sent' },
              { value: 'failed', label: 'Failed' },
            ]}
          />
          <Group gap="xs" align="flex-end">
            <Select
              label="Kind"
              size="sm"
              w={150}
              clearable
              placeholder="Any"
              value={filter.kind}
              onChange={(v) => update({ kind: (v as OutboxFilter['kind']) ?? null })}
              data={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
            />
            <TextInput label="Search" size="sm" placeholder="Address or subject" value={filter.search} onChange={(e) => update({ search: e.currentTarget.value })} w={220} />
            {narrowed && (
              <Button variant="subtle" color="gray" onClick={() => setFilter({ status: null, kind: null, search: '', page: 0 })}>
                Clear
              </Button>
            )}
          </Group>
        </Group>
        <ListStates
          query={list}
          what="emails"
          isEmpty={total === 0}
          empty={
            <EmptyPanel
              icon={<IconMail size={26} />}
              title={narrowed ? 'No emails match' : 'No emails yet'}
              description={narrowed ? 'Try another status, kind or search.' : 'Send an invoice from its page, or turn on payment reminders in Settings > Reminders.'}
            />
          }
        >
          <TableCard
            minWidth={900}
            stale={list.isPlaceholderData}
            columns={['Created', 'To', 'Subject and last error', 'Kind', 'Status', { label: 'Tries', align: 'right' }, actionsColumn(120)]}
          >
            {list.data?.rows.map((row) => {
              const status = outboxStatus(row);
              return (
                <Table.Tr key={row.id} data-testid="outbox-row">
                  <Table.Td style={NO_WRAP}>
                    <Text size="sm">{formatDateTime(row.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{row.toName || row.to}</Text>
                    {row.toName && (
                      <Text size="xs" c="dimmed">
                        {row.to}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td miw={220}>
                    <Text size="sm">{row.subject}</Text>
                    {row.lastError && row.status !== 'sent' && (
                      <Text size="xs" c="red" lineClamp={2} title={row.lastError}>
                        {row.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{KIND_LABELS[row.kind]}</Text>
                  </Table.Td>
                  <Table.Td style={NO_WRAP} miw={110}>
                    <Tooltip label={row.nextAttemptAt ? `Next try ${formatDateTime(row.nextAttemptAt)}` : row.sentAt ? `Sent ${formatDateTime(row.sentAt)}` : ''} disabled={!row.nextAttemptAt && !row.sentAt}>
                      <Badge color={status.color} variant="light" style={{ overflow: 'visible' }}>
                        {status.label}
                      </Badge>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{row.attempts}</Text>
                  </Table.Td>
                  <Table.Td style={NO_WRAP}>
                    {canSend && (row.status === 'failed' || row.status === 'queued') && (
                      <Button size="xs" variant="default" leftSection={<IconSend size={14} />} loading={sendNow.isPending && sendNow.variables.id === row.id} onClick={() => send(row)}>
                        Send now
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </TableCard>
          <Pager total={total} pageSize={OUTBOX_PAGE} page={filter.page} onPageChange={(page) => setFilter((f) => ({ ...f, page }))} what="emails" />
        </ListStates>
      </Stack>
    </>
  );
}
