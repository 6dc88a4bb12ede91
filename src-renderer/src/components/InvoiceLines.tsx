import { Group, Table, Text } from '@mantine/core';
import type { InvoiceLine } from '@shared/domain/billing';
import { readableDescription, taxLabel } from '@shared/domain/date-format';
import { useSession } from '../lib/auth';
import { useMoney } from '../lib/money';
import { PeriodText } from './DateText';
import classes from './InvoiceLines.module.css';

const TOTAL_KINDS = new Set<InvoiceLine['kind']>(['discount', 'tax', 'credit']);

// Shared with the invoice PDF, so both read the same.
export { formatTaxRate, readableDescription } from '@shared/domain/date-format';

/** The charge lines of an invoice (or of one about to be written), with their periods. */
export function InvoiceLinesTable({ lines, label }: { lines: InvoiceLine[]; label: string }) {
  const money = useMoney();
  const { business } = useSession();
  const charges = lines.filter((l) => !TOTAL_KINDS.has(l.kind));
  return (
    <Table className={classes.lines} verticalSpacing={8} horizontalSpacing="sm" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Description</Table.Th>
          <Table.Th ta="right">Qty</Table.Th>
          <Table.Th ta="right">Unit price</Table.Th>
          <Table.Th ta="right">Amount</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {charges.map((line, i) => (
          <Table.Tr key={i} data-testid="invoice-line">
            <Table.Td>
              <Text size="sm">{readableDescription(line, business.locale || 'en-US')}</Text>
              <Text size="xs" c="dimmed">
                {line.kind === 'recurring' ? '' : KIND_LABELS[line.kind]}
                {line.kind !== 'recurring' && line.periodStart ? ' · ' : ''}
                {line.periodStart && line.periodEnd && <PeriodText start={line.periodStart} end={line.periodEnd} />}
              </Text>
            </Table.Td>
            <Table.Td ta="right">
              <Text size="sm">{line.unitAmount === null && line.kind !== 'recurring' ? '' : line.quantity}</Text>
            </Table.Td>
            <Table.Td ta="right">
              <Text size="sm" className={classes.amount}>
                {line.unitAmount === null ? '' : money.format(line.unitAmount)}
              </Text>
            </Table.Td>
            <Table.Td ta="right">
              <Text size="sm" c={line.amount < 0 ? 'teal.7' : undefined} className={classes.amount}>
                {money.format(line.amount)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const KIND_LABELS: Record<InvoiceLine['kind'], string> = {
  recurring: 'Subscription',
  setup_fee: 'Setup fee',
  proration: 'Proration',
  discount: 'Discount',
  tax: 'Tax',
  credit: 'Credit',
  product: 'Product',
  manual: 'Charge',
};

export interface Totals {
  lines: InvoiceLine[];
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  creditApplied: number;
  /** Part of creditApplied that credit notes took off (an invoice's), shown on its own line. */
  credited?: number;
  amountPaid?: number;
  amountDue: number;
  /** The rate of the tax line (parts per million), shown beside it when known. */
  taxRatePpm?: number | null;
}

/** Subtotal, discount, tax, total, credit, paid and due, as the invoice holds them (nothing recomputed). */
export function InvoiceTotals({ totals }: { totals: Totals }) {
  const money = useMoney();
  const { business } = useSession();
  const discountLine = totals.lines.find((l) => l.kind === 'discount');
  const rows: { label: string; amount: number; strong?: boolean; testId: string }[] = [{ label: 'Subtotal', amount: totals.subtotal, testId: 'subtotal' }];
  if (totals.discount !== 0) rows.push({ label: discountLine?.description ?? 'Discount', amount: -totals.discount, testId: 'discount' });
  if (totals.tax !== 0) {
    const label = taxLabel(totals.lines.find((l) => l.kind === 'tax')?.description ?? 'Tax', totals.taxRatePpm, business.locale || 'en-US');
    rows.push({ label, amount: totals.tax, testId: 'tax' });
  }
  rows.push({ label: 'Total', amount: totals.total, strong: true, testId: 'total' });
  const credited = totals.credited ?? 0;
  if (totals.creditApplied - credited !== 0) rows.push({ label: 'Credit balance applied', amount: -(totals.creditApplied - credited), testId: 'credit' });
  if (credited !== 0) rows.push({ label: 'Credit notes', amount: -credited, testId: 'credited' });
  if (totals.amountPaid) rows.push({ label: 'Paid', amount: -totals.amountPaid, testId: 'paid' });
  // An invoice always says what is due; a preview only when credit makes it differ from the total.
  if (totals.amountPaid !== undefined || totals.amountDue !== totals.total) rows.push({ label: 'Amount due', amount: totals.amountDue, strong: true, testId: 'amount-due' });

  return (
    <dl className={classes.totals}>
      {rows.map((row) => (
        <Group key={row.testId} justify="space-between" gap="xl" wrap="nowrap" className={row.strong ? classes.strong : undefined}>
          <Text component="dt" size="sm" fw={row.strong ? 650 : 400} c={row.strong ? undefined : 'dimmed'}>
            {row.label}
          </Text>
          <Text component="dd" size="sm" fw={row.strong ? 650 : 400} data-testid={`totals-${row.testId}`} className={classes.amount}>
            {money.format(row.amount)}
          </Text>
        </Group>
      ))}
      {totals.total < 0 && (
        <Text size="xs" c="dimmed" ta="right" data-testid="totals-credit-gained">
          Nothing to collect: the customer’s credit balance grows by {money.format(-totals.total)}.
        </Text>
      )}
    </dl>
  );
}
