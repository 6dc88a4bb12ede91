import { ActionIcon, Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput, Tooltip, useMantineTheme } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowBackUp, IconCreditCard } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Payment } from '@shared/domain/billing';
import { EmptyPanel } from '../../../components/EmptyPanel';
import { ListStates } from '../../../components/ListStates';
import { PageHeader } from '../../../components/PageHeader';
import { Pager } from '../../../components/Pager';
import { actionsColumn, TableCard } from '../../../components/ScrollTable';
import { DateText } from '../../../components/DateText';
import { useCan } from '../../../lib/auth';
import { useMoney } from '../../../lib/money';
import { paymentMethodLabel, paymentStatus } from '../../../lib/payment-labels';
import { PAYMENTS_PAGE, usePayments, type PaymentFilter } from '../api/use-payments';
import { refundable } from '../refund-form';
import { RefundModal } from './RefundModal';

// Dates, invoice numbers, amounts and badges stay on one line; names and references may wrap.
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/**
 * Below the md breakpoint (the rail, or the burger) the table has no room for seven columns:
 * the invoice number goes under the customer's name, the status column loses its fixed width,
 * and the cells their wide padding, so nothing scrolls sideways, wraps or is cut.
 */
function useWideTable(): boolean {
  const { breakpoints } = useMantineTheme();
  return useMediaQuery(`(min-width: ${breakpoints.md})`, true, { getInitialValueInEffect: false });
}

/** Money received (and attempts that failed) and refunds, each a row, by date; refunding is the owner's. */
export function PaymentsPage() {
  const canRefund = useCan('owner');
  const money = useMoney();
  const wide = useWideTable();
  const [filter, setFilter] = useState<PaymentFilter>({ status: null, from: '', to: '', page: 0 });
  const [refunding, setRefunding] = useState<Payment | null>(null);
  const list = usePayments(filter);
  const total = list.data?.total ?? 0;
  const narrowed = filter.status !== null || filter.from !== '' || filter.to !== '';
  const update = (changes: Partial<PaymentFilter>) => setFilter((f) => ({ ...f, page: 0, ...changes }));

  return (
    <>
      <PageHeader title="Payments" description="Card payments collected by billing runs, payments recorded by hand, and refunds, each on its own row." />
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
            minWidth={wide ? 900 : 0}
            horizontalSpacing={wide ? 'sm' : 'xs'}
            stale={list.isPlaceholderData}
            columns={
              wide
                ? ['Date', 'Customer', 'Invoice', 'Method', { label: 'Amount', align: 'right' }, { label: 'Status', width: 170 }, actionsColumn(48)]
                : ['Date', 'Customer', 'Method', { label: 'Amount', align: 'right' }, 'Status', actionsColumn(40)]
            }
          >
            {list.data?.rows.map((p) => {
              const status = paymentStatus(p);
              return (
                <Table.Tr key={p.id} data-testid={p.kind === 'refund' ? 'refund-row' : 'payment-row'}>
                  <Table.Td style={NO_WRAP}>
                    <Text size="sm">
                      <DateText date={p.paidOn} />
                    </Text>
                  </Table.Td>
                  <Table.Td miw={wide ? 260 : undefined}>
                    <Text size="sm">{p.customerName}</Text>
                    {!wide && p.invoiceId && (
                      <Anchor component={Link} to={`/invoices/${p.invoiceId}`} size="xs" style={NO_WRAP}>
                        {p.invoiceNumber}
                      </Anchor>
                    )}
                  </Table.Td>
                  {wide && (
                    <Table.Td style={NO_WRAP}>
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
                  )}
                  <Table.Td>
                    <Text size="sm" style={NO_WRAP}>
                      {paymentMethodLabel(p)}
                    </Text>
                    {p.reference && (
                      <Text size="xs" c="dimmed">
                        {p.kind === 'refund' ? `Refund: ${p.reference}` : p.reference}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" style={NO_WRAP}>
                    <Text size="sm" td={p.status === 'failed' ? 'line-through' : undefined}>
                      {money.format(p.amount)}
                    </Text>
                    {p.amountRefunded > 0 && (
                      <Text size="xs" c="dimmed">
                        {money.format(p.amountRefunded)} refunded
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={NO_WRAP}>
                    {p.status === 'failed' ? (
                      <Tooltip label={p.failureReason ?? 'Declined'} withArrow>
                        <Badge color={status.color} variant="light" maw="none">
                          {status.label}
                        </Badge>
                      </Tooltip>
                    ) : (
                      <Badge color={status.color} variant="light" maw="none">
                        {status.label}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {canRefund && p.kind === 'payment' && p.status === 'succeeded' && refundable(p) > 0 && (
                      <Tooltip label="Refund" withArrow>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`Refund ${money.format(p.amount)} from ${p.customerName}`}
                          onClick={() => setRefunding(p)}
                        >
                          <IconArrowBackUp size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </TableCard>
        </ListStates>
        <Pager total={total} pageSize={PAYMENTS_PAGE} page={filter.page} onPageChange={(page) => setFilter((f) => ({ ...f, page }))} what="payments" />
      </Stack>
      {refunding && <RefundModal key={refunding.id} payment={refunding} onClose={() => setRefunding(null)} />}
    </>
  );
}
