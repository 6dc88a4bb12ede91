import { Anchor, Chip, EmptyState, Group, Pagination, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileInvoice, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { InvoiceStatus } from '../../../../../src-shared/domain/billing';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { DateText } from '../../../components/DateText';
import { INVOICE_STATUS_LABELS, InvoiceStatusBadge } from '../../../components/InvoiceStatusBadge';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { INVOICES_PAGE, useInvoices } from '../api/use-invoices';

const FILTERS: InvoiceStatus[] = ['open', 'paid', 'uncollectible', 'void'];

/** Every invoice, newest first: filter by status, search by number or customer. */
export function InvoicesPage() {
  const money = useMoney();
  const today = useToday();
  const navigate = useNavigate();
  const [status, setStatus] = useState<InvoiceStatus | 'all'>('all');
  const [searchText, setSearchText] = useState('');
  const [search] = useDebouncedValue(searchText, 250);
  const [page, setPage] = useState(0);
  const list = useInvoices({ status: status === 'all' ? null : status, search, page });
  const total = list.data?.total ?? 0;
  const narrowed = status !== 'all' || search.trim() !== '';

  return (
    <>
      <PageHeader title="Invoices" description="Issued by billing runs on the first day of each period, numbered in order." />
      <Stack gap="sm">
        <Group justify="space-between" gap="sm">
          <Chip.Group
            multiple={false}
            value={status}
            onChange={(value) => {
              setStatus(value as InvoiceStatus | 'all');
              setPage(0);
            }}
          >
            <Group gap={6} role="group" aria-label="Filter by status">
              <Chip value="all" size="sm" variant="light">
                All
              </Chip>
              {FILTERS.map((s) => (
                <Chip key={s} value={s} size="sm" variant="light">
                  {INVOICE_STATUS_LABELS[s]}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          <TextInput
            type="search"
            aria-label="Search invoices"
            placeholder="Number or customer"
            leftSection={<IconSearch size={16} />}
            value={searchText}
            onChange={(e) => {
              setSearchText(e.currentTarget.value);
              setPage(0);
            }}
            w={260}
          />
        </Group>

        {list.isPending && <CenteredLoader label="Loading invoices" />}
        {list.isError && <QueryError title="Could not load the invoices" error={list.error} onRetry={() => void list.refetch()} />}
        {list.data && total === 0 && (
          <Paper withBorder radius="md" py={48} px="xl">
            <EmptyState
              icon={<IconFileInvoice size={26} />}
              title={narrowed ? 'No invoices match' : 'No invoices yet'}
              description={narrowed ? 'Try another status or search.' : 'Billing runs issue an invoice for every subscription period that has started. Run billing from the top bar.'}
              maw={520}
              mx="auto"
            />
          </Paper>
        )}
        {list.data && total > 0 && (
          <Paper withBorder radius="md" opacity={list.isPlaceholderData ? 0.7 : 1}>
            <Table.ScrollContainer minWidth={820} type="native">
              <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Number</Table.Th>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>Issued</Table.Th>
                    <Table.Th>Due</Table.Th>
                    <Table.Th ta="right">Total</Table.Th>
                    <Table.Th ta="right">Amount due</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.rows.map((inv) => {
                    const overdue = inv.status === 'open' && inv.amountDue > 0 && inv.dueDate < today;
                    return (
                      <Table.Tr key={inv.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/invoices/${inv.id}`)} data-testid={`invoice-row-${inv.number}`}>
                        <Table.Td>
                          <Anchor component={Link} to={`/invoices/${inv.id}`} size="sm" fw={600} onClick={(e) => e.stopPropagation()}>
                            {inv.number}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{inv.customerName}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">
                            <DateText date={inv.issueDate} />
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" c={overdue ? 'red' : undefined}>
                            <DateText date={inv.dueDate} />
                            {overdue ? ' · overdue' : ''}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">
                          <Text size="sm">{money.format(inv.total)}</Text>
                        </Table.Td>
                        <Table.Td ta="right">
                          <Text size="sm" fw={inv.amountDue > 0 ? 600 : 400} c={inv.amountDue > 0 ? undefined : 'dimmed'}>
                            {money.format(inv.amountDue)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <InvoiceStatusBadge status={inv.status} />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
        {total > INVOICES_PAGE && (
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {total} invoices
            </Text>
            <Pagination total={Math.ceil(total / INVOICES_PAGE)} value={page + 1} onChange={(p) => setPage(p - 1)} size="sm" />
          </Group>
        )}
      </Stack>
    </>
  );
}
