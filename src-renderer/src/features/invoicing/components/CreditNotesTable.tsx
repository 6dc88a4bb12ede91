import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CreditNote } from '@shared/contract/invoicing';
import { DateText } from '../../../components/DateText';
import { ScrollTable } from '../../../components/ScrollTable';
import { useMoney } from '../../../lib/money';
import { CreditNotePdfButton } from './CreditNotePdfButton';

export const SETTLEMENT_LABELS = { invoice: 'Off the invoice', credit: 'Credit balance', refund: 'Refunded' } as const;

export function CreditNotesTable({ notes, withInvoice }: { notes: CreditNote[]; withInvoice?: boolean }) {
  const money = useMoney();
  return (
    <ScrollTable
      minWidth={560}
      verticalSpacing={8}
      data-testid="credit-notes"
      columns={['Number', 'Date', ...(withInvoice ? ['Invoice'] : []), 'Settled', 'Reason', { label: 'Amount', align: 'right' as const }, '']}
    >
      {notes.map((n) => (
        <Table.Tr key={n.id}>
          <Table.Td>
            <Text size="sm" ff="monospace">
              {n.number}
            </Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">
              <DateText date={n.issueDate} />
            </Text>
          </Table.Td>
          {withInvoice && (
            <Table.Td>
              <Anchor component={Link} to={`/invoices/${n.invoiceId}`} size="sm" ff="monospace">
                {n.invoiceNumber}
              </Anchor>
            </Table.Td>
          )}
          <Table.Td>
            <Badge variant="light" color="grape">
              {SETTLEMENT_LABELS[n.settlement]}
            </Badge>
          </Table.Td>
          <Table.Td>
            <Text size="sm" c="dimmed" lineClamp={1}>
              {n.reason}
            </Text>
          </Table.Td>
          <Table.Td ta="right">
            <Text size="sm">-{money.format(n.total)}</Text>
          </Table.Td>
          <Table.Td ta="right">
            <CreditNotePdfButton id={n.id} number={n.number} />
          </Table.Td>
        </Table.Tr>
      ))}
    </ScrollTable>
  );
}
