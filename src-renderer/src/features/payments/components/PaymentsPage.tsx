import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconCreditCard } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Payment } from '../../../../../src-shared/domain/billing';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { Pager } from '../../../components/Pager';
import { actionsColumn, TableCard } from '../../../components/ScrollTable';
import { DateCell, MoneyCell } from '../../../components/TableCells';
import { useCan } from '../../../lib/auth';
import { useMoney } from '../../../lib/money';
import { PAYMENTS_PAGE, usePayments, type PaymentFilter } from '../api/use-payments';
import { refundable } from '../refund-form';
import { RefundModal } from './RefundModal';

const METHOD_LABELS: Record<Payment['method'], string> = { card: 'Card', cash: 'Cash', bank_transfer: 'Bank transfer', other: 'Other' };

/** Money received (and attempts that failed), by date; refunds are the owner's. */
export function PaymentsPage() {
  const canRefund = useCan('owner');
  const money = useMoney();
  const [filter, setFilter] = useState<PaymentFilter>({ status: null, from: '', to: '', page: 0 });
  const [refunding, setRefunding] = useState<Payment | null>(null);
  const list = usePayments(filter);
  const total = list.data?.total ?? 0;
  const narrowed = filter.status !== null || filter.from !== '' || filter.to !== '';
  const update = (changes: Partial<PaymentFilter>) => setFilter((f) => ({ ...f, page: 0, ...changes }));

  return (
    <>
      <PageHeader title="Payments" description="Card payments collected by billing runs, payments recorded by hand, and refunds." />
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" gap="sm">
          <SegmentedControl
            aria-label="Payment status"
            value={filter.status ?? 'all'}
            onChange={(v) => update({ status: v === 'all' ? null : (v as 'succeeded' | 'failed') })}
            data={[
              { value: 'all', label: 'All' },
              { value: 'succeeded', label: 'Succeeded' },
              { value: 'failed', label: 'Failed' },
            ]}
          />
          <Group gap="xs" align="flex-end">
            <TextInput type="date" label="From" size="sm" value={filter.from} onChange={(e) => update({ from: e.currentTarget.value })} w={160} />
            <TextInput type="date" label="To" size="sm" value={filter.to} onChange={(e) => update({ to: e.currentTarget.value })} w={160} />
            {narrowed && (
              <Button variant="subtle" color="gray" onClick={() => setFilter({ status: null, from: '', to: '', page: 0 })}>
                Clear
              </Button>
            )}
          </Group>
        </Group>

        <ListStates
          query={list}
          what="payments"
          isEmpty={total === 0}
          empty={
            <EmptyPanel
              icon={<IconCreditCard size={26} />}
              title={narrowed ? 'No payments match' : 'No payments yet'}
              description={narrowed ? 'Try another status or dates.' : 'Card payments are collected when billing issues an invoice; payments by hand are recorded on the invoice.'}
            />
          }
        >
          <TableCard
            minWidth={820}
            stale={list.isPlaceholderData}
            columns={['Date', 'Customer', 'Invoice', 'Method', { label: 'Amount', align: 'right' }, { label: 'Refunded', align: 'right' }, 'Status', actionsColumn(96)]}
          >
            {list.data?.rows.map((p) => (
              <Table.Tr key={p.id} data-testid="payment-row">
                <DateCell date={p.paidOn} />
                <Table.Td>
                  <Text size="sm">{p.customerName}</Text>
                </Table.Td>
                <Table.Td>
                  {p.invoiceId ? (
                    <Anchor component={Link} to={`/invoices/${p.invoiceId}`} size="sm">
                      {p.invoiceNumber}
                    </Anchor>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{METHOD_LABELS[p.method]}</Text>
                  {p.reference && (
                    <Text size="xs" c="dimmed">
                      {p.reference}
                    </Text>
                  )}
                </Table.Td>
                <MoneyCell amount={p.amount} struck={p.status === 'failed'} />
                <Table.Td ta="right">
                  <Text size="sm" c={p.amountRefunded ? undefined : 'dimmed'}>
                    {p.amountRefunded ? money.format(p.amountRefunded) : '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {p.status === 'failed' ? (
                    <Tooltip label={p.failureReason ?? 'Declined'} withArrow>
                      <Badge color="red" variant="light">
                        Failed
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Badge color={p.amountRefunded ? 'gray' : 'green'} variant="light">
                      {p.amountRefunded === 0 ? 'Succeeded' : p.amountRefunded === p.amount ? 'Refunded' : 'Partly refunded'}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {canRefund && p.status === 'succeeded' && refundable(p) > 0 && (
                    <Button
                      variant="subtle"
                      color="gray"
                      size="compact-sm"
                      leftSection={<IconArrowBackUp size={14} />}
                      aria-label={`Refund ${money.format(p.amount)} from ${p.customerName}`}
                      onClick={() => setRefunding(p)}
                    >
                      Refund
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </TableCard>
        </ListStates>
        <Pager total={total} pageSize={PAYMENTS_PAGE} page={filter.page} onPageChange={(page) => setFilter((f) => ({ ...f, page }))} what="payments" />
      </Stack>
      {refunding && <RefundModal key={refunding.id} payment={refunding} onClose={() => setRefunding(null)} />}
    </>
  );
}
