import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconArrowLeft, IconCalendarEvent, IconPrinter } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { SALE_METHODS } from '@shared/contract/sales';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { QueryError } from '../../../components/QueryError';
import { useDates, useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useDayReport } from '../api/use-sale';
import { METHOD_LABELS } from '../sale-labels';
import classes from './DayReport.module.css';
import { ProductCell } from '../../../components/ProductCell';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The end-of-day (Z) report of one business date: money in by method, refunds, net, tax, and what sold. Printable. */
export function DayReportPage() {
  const params = useParams();
  const today = useToday();
  const dates = useDates();
  const money = useMoney();
  const navigate = useNavigate();
  const date = params.date && ISO_DATE.test(params.date) ? params.date : today;
  const report = useDayReport(date);

  return (
    <Stack gap="md" className={classes.report}>
      <Anchor component={Link} to="/sales" size="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }} className={classes.noPrint}>
        <IconArrowLeft size={14} /> All sales
      </Anchor>
      <Group justify="space-between" align="flex-end" gap="sm">
        <Stack gap={4}>
          <Title order={2}>End of day (Z) report</Title>
          <Text c="dimmed" size="sm">
            {dates.day(date)}
            {date === today ? ' (today, so far)' : ''} · money taken at the counter that day, less the refunds given that day
          </Text>
        </Stack>
        <Group gap="sm" align="flex-end" className={classes.noPrint}>
          <TextInput
            type="date"
            label="Day"
            value={date}
            max={today}
            leftSection={<IconCalendarEvent size={16} />}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (ISO_DATE.test(v)) void navigate(v === today ? '/sales/day' : `/sales/day/${v}`, { replace: true });
            }}
            w={180}
          />
          <Button variant="default" leftSection={<IconPrinter size={16} />} onClick={() => window.print()} disabled={!report.data}>
            Print
          </Button>
        </Group>
      </Group>
      {report.isPending && <CenteredLoader label="Adding up the day" />}
      {report.isError && <QueryError title="Could not make the report" error={report.error} onRetry={() => void report.refetch()} />}
      {report.data && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" data-testid="z-figures">
            <Figure label="Sales" value={money.format(report.data.sales)} detail={`${report.data.count} ${report.data.count === 1 ? 'sale' : 'sales'}`} testId="z-sales" />
            <Figure label="Refunds" value={report.data.refunds > 0 ? `−${money.format(report.data.refunds)}` : money.format(0)} testId="z-refunds" />
            <Figure label="Net" value={money.format(report.data.net)} strong testId="z-net" />
            <Figure label="Tax in the net" value={money.format(report.data.tax)} testId="z-tax" />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Paper withBorder radius="md" p="md">
              <Title order={4} mb="sm">
                By payment method
              </Title>
              <Table data-testid="z-methods">
                <Table.Tbody>
                  {SALE_METHODS.map((m) => (
                    <Table.Tr key={m} data-testid={`z-method-${m}`}>
                      <Table.Td>{METHOD_LABELS[m]}</Table.Td>
                      <Table.Td ta="right" className={classes.figure} fw={500}>
                        {money.format(report.data.byMethod[m])}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  <Table.Tr>
                    <Table.Td fw={700}>Net</Table.Td>
                    <Table.Td ta="right" fw={700} className={classes.figure}>
                      {money.format(report.data.net)}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
              <Text size="xs" c="dimmed" mt="sm">
                Cash drawer: {money.format(report.data.cashTendered)} handed over, {money.format(report.data.changeGiven)} given back as change. Each method is its payments less its refunds that day.
              </Text>
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Title order={4} mb="sm">
                By product
              </Title>
              {report.data.byProduct.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Nothing sold or refunded that day.
                </Text>
              ) : (
                <Table data-testid="z-products">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Product</Table.Th>
                      <Table.Th ta="right">Qty</Table.Th>
                      <Table.Th ta="right">Amount</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.data.byProduct.map((p) => (
                      <Table.Tr key={p.productId}>
                        <Table.Td>
                          <ProductCell name={p.name} sku={p.sku} />
                        </Table.Td>
                        <Table.Td ta="right" className={classes.figure}>
                          {p.quantity}
                        </Table.Td>
                        <Table.Td ta="right" className={classes.figure}>
                          {money.format(p.amount)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

function Figure({ label, value, detail, strong, testId }: { label: string; value: string; detail?: string; strong?: boolean; testId: string }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={strong ? 28 : 24} fw={strong ? 750 : 650} className={classes.figure} data-testid={testId}>
        {value}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      )}
    </Paper>
  );
}
