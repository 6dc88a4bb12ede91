import type { ReactNode } from 'react';
import type { Output } from '@shared/contract';
import { Alert, Anchor, Button, DataList, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconBan, IconCash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { DateText, PeriodText } from '../../../components/DateText';
import { InvoiceLinesTable, InvoiceTotals } from '../../../components/InvoiceLines';
import { InvoiceStatusBadge } from '../../../components/InvoiceStatusBadge';
import { QueryError } from '../../../components/QueryError';
import { useCan } from '../../../lib/auth';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useInvoice } from '../api/use-invoice';
import { SendInvoiceButton } from '../../email/components/SendInvoiceButton';
import { DownloadPdfButton } from './DownloadPdfButton';
import { InvoicePayments } from './InvoicePayments';
import { RecordPaymentModal } from './RecordPaymentModal';
import { VoidInvoiceModal } from './VoidInvoiceModal';

const KIND_LABELS = { subscription: 'Subscription period', change: 'Plan change', sale: 'Sale', manual: 'Manual' } as const;

/** One invoice as written: lines, totals, what was paid and refunded; record a payment, void, or download it. */
export interface InvoicePageProps {
  /** The invoice's credit notes (another feature's panel, passed by the router). */
  creditNotes?: (invoice: Output<'invoices.get'>) => ReactNode;
}

export function InvoicePage({ creditNotes }: InvoicePageProps = {}) {
  const { id = '' } = useParams();
  const canPay = useCan('staff');
  const canVoid = useCan('owner');
  const money = useMoney();
  const dates = useDates();
  const detail = useInvoice(id);
  const [dialog, setDialog] = useState<'pay' | 'void' | null>(null);

  const back = (
    <Anchor component={Link} to="/invoices" size="sm" mb="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} /> All invoices
    </Anchor>
  );
  if (detail.isPending) return <>{back}<CenteredLoader label="Loading the invoice" /></>;
  if (detail.isError) {
    return (
      <>
        {back}
        <QueryError title={detail.error.code === 'not_found' ? 'There is no such invoice' : 'Could not load this invoice'} error={detail.error} onRetry={() => void detail.refetch()} />
      </>
    );
  }
  const inv = detail.data;
  const unpaid = inv.status === 'open' || inv.status === 'uncollectible';
  const payable = unpaid && inv.amountDue > 0;
  const voidable = unpaid && inv.amountPaid === 0 && inv.credited === 0;

  return (
    <>
      {back}
      <Group justify="space-between" align="flex-end" mb="lg" gap="sm">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>Invoice {inv.number}</Title>
            <InvoiceStatusBadge status={inv.status} size="lg" />
          </Group>
          <Text c="dimmed" size="sm">
            <Anchor component={Link} to={`/customers/${inv.customerId}`} size="sm">
              {inv.customerName}
            </Anchor>{' '}
            · {money.format(inv.total)} · issued {dates.day(inv.issueDate)}
          </Text>
        </Stack>
        <Group gap="sm">
          <DownloadPdfButton invoiceId={inv.id} number={inv.number} />
          {canPay && inv.status !== 'draft' && <SendInvoiceButton invoiceId={inv.id} number={inv.number} />}
          {canVoid && voidable && (
            <Button variant="default" color="red" leftSection={<IconBan size={16} />} onClick={() => setDialog('void')}>
              Void
            </Button>
          )}
          {canPay && payable && (
            <Button leftSection={<IconCash size={16} />} onClick={() => setDialog('pay')}>
              Record payment
            </Button>
          )}
        </Group>
      </Group>

      <Stack gap="md">
        {inv.status === 'open' && inv.nextRetryOn && (
          <Alert variant="light" color="orange" icon={<IconAlertTriangle size={18} />} title="The card payment failed">
            {inv.attemptCount} {inv.attemptCount === 1 ? 'attempt' : 'attempts'} so far; the next retry is on {dates.day(inv.nextRetryOn)}, made by the first billing run
            that reaches that date.
          </Alert>
        )}
        {inv.status === 'uncollectible' && (
          <Alert variant="light" color="red" icon={<IconAlertTriangle size={18} />} title="Uncollectible">
            Every retry failed, so the subscription was canceled. A payment recorded by hand still settles it.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Paper withBorder radius="md" p="md">
            <DataList labelWidth={110} gap={8}>
              <DataList.Item>
                <DataList.ItemLabel>Issued</DataList.ItemLabel>
                <DataList.ItemValue data-testid="invoice-issued">
                  <DateText date={inv.issueDate} />
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>Due</DataList.ItemLabel>
                <DataList.ItemValue data-testid="invoice-due">
                  <DateText date={inv.dueDate} />
                </DataList.ItemValue>
              </DataList.Item>
              {inv.periodStart && inv.periodEnd && (
                <DataList.Item>
                  <DataList.ItemLabel>Period</DataList.ItemLabel>
                  <DataList.ItemValue data-testid="invoice-period">
                    <PeriodText start={inv.periodStart} end={inv.periodEnd} />
                  </DataList.ItemValue>
                </DataList.Item>
              )}
              {inv.paidOn && (
                <DataList.Item>
                  <DataList.ItemLabel>Paid on</DataList.ItemLabel>
                  <DataList.ItemValue>
                    <DateText date={inv.paidOn} />
                  </DataList.ItemValue>
                </DataList.Item>
              )}
            </DataList>
          </Paper>
          <Paper withBorder radius="md" p="md">
            <DataList labelWidth={110} gap={8}>
              <DataList.Item>
                <DataList.ItemLabel>Customer</DataList.ItemLabel>
                <DataList.ItemValue>
                  <Anchor component={Link} to={`/customers/${inv.customerId}`} size="sm">
                    {inv.customerName}
                  </Anchor>
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>For</DataList.ItemLabel>
                <DataList.ItemValue>
                  {inv.subscriptionId ? (
                    <Anchor component={Link} to={`/subscriptions/${inv.subscriptionId}`} size="sm">
                      {KIND_LABELS[inv.kind]}
                    </Anchor>
                  ) : (
                    KIND_LABELS[inv.kind]
                  )}
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>Amount due</DataList.ItemLabel>
                <DataList.ItemValue>
                  <Text size="sm" fw={650} c={inv.amountDue > 0 ? undefined : 'dimmed'}>
                    {money.format(inv.amountDue)}
                  </Text>
                </DataList.ItemValue>
              </DataList.Item>
            </DataList>
          </Paper>
        </SimpleGrid>

        <Paper withBorder radius="md" p="md" data-testid="invoice-detail">
          <InvoiceLinesTable lines={inv.lines} label="Invoice lines" />
          <InvoiceTotals totals={inv} />
        </Paper>

        <InvoicePayments invoice={inv} />
        {creditNotes?.(inv)}
      </Stack>
      {dialog === 'pay' && <RecordPaymentModal invoice={inv} onClose={() => setDialog(null)} />}
      {dialog === 'void' && <VoidInvoiceModal invoice={inv} onClose={() => setDialog(null)} />}
    </>
  );
}
