import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { Output } from '@shared/contract';
import { useMoney } from '../../../lib/money';

type Detail = Output<'customers.get'>;

/** What billing knows of the customer at a glance, in the business currency. */
export function CustomerBillingSummary({ detail }: { detail: Detail }) {
  const money = useMoney().format;
  const figures = [
    { label: 'Active subscriptions', value: String(detail.activeSubscriptions) },
    { label: 'Open invoices', value: String(detail.openInvoices) },
    { label: 'Amount due', value: money(detail.amountDue), alert: detail.amountDue > 0 },
    { label: 'Paid to date', value: money(detail.totalPaid) },
    { label: 'Credit balance', value: money(detail.customer.creditBalance) },
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm">
      {figures.map((figure) => (
        <Paper key={figure.label} withBorder radius="md" px="md" py="sm">
          <Text size="xs" c="dimmed" fw={500}>
            {figure.label}
          </Text>
          <Text fw={650} fz="lg" c={figure.alert ? 'red.7' : undefined} data-testid={`figure-${figure.label}`}>
            {figure.value}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
