import { Table, Text } from '@mantine/core';
import type { Output } from '@shared/contract';
import { DateText, PeriodText } from '../../../components/DateText';
import { ScrollTable } from '../../../components/ScrollTable';
import { SectionCard } from '../../../components/SectionCard';
import { DateCell, MoneyCell } from '../../../components/TableCells';
import { useMoney } from '../../../lib/money';

type PendingItems = Output<'subscriptions.get'>['pendingItems'];

/**
 * Lines waiting for the next invoice: the proration a mid-period change left
 * (a credit for the unused part of the old plan, a charge for the new one).
 * Shown only while there are some; the next billing run writes them onto the invoice.
 */
export function SubscriptionPendingItems({ items, nextInvoiceDate }: { items: PendingItems; nextInvoiceDate: string | null }) {
  const money = useMoney();
  if (items.length === 0) return null;
  const total = items.reduce((sum, item) => sum + item.amount, 0);
  return (
    <SectionCard title="Waiting for the next invoice">
      <Text size="sm" c="dimmed" mb="xs">
        {nextInvoiceDate ? (
          <>
            Added to the invoice of <DateText date={nextInvoiceDate} />: {money.format(total)} in all.
          </>
        ) : (
          <>Added to this subscription's next invoice: {money.format(total)} in all.</>
        )}
      </Text>
      <ScrollTable
        minWidth={560}
        verticalSpacing={8}
        data-testid="subscription-pending-items"
        columns={['Line', 'Period', 'Since', { label: 'Amount', align: 'right' }]}
      >
        {items.map((item) => (
          <Table.Tr key={item.id}>
            <Table.Td>
              <Text size="sm">{item.description}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" c="dimmed">
                <PeriodText start={item.periodStart} end={item.periodEnd} />
              </Text>
            </Table.Td>
            <DateCell date={item.createdOn} />
            <MoneyCell amount={item.amount} />
          </Table.Tr>
        ))}
      </ScrollTable>
    </SectionCard>
  );
}
