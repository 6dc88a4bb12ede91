import { Alert, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { lazy, Suspense, type ReactNode } from 'react';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { DateText } from '../../../components/DateText';
import { InsightExportButton } from '../../../components/InsightExportButton';
import { QueryError } from '../../../components/QueryError';
import { TableCard } from '../../../components/ScrollTable';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { useAnomalies, useProductInsights, useSalesDays } from '../api/use-sales-insights';
import { anomaliesSummary, METRIC_WORDS } from '../sales-insight-format';
import { ProductCell } from '../../../components/ProductCell';

const SalesChart = lazy(() => import('./SalesChart').then((m) => ({ default: m.SalesChart })));

/** A panel with its title, a sentence on what it shows, and its Export button. */
function InsightPanel({ title, description, action, testId, children }: { title: string; description: ReactNode; action?: ReactNode; testId: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <div>
          <Title order={3} fz="md">
            {title}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {description}
          </Text>
        </div>
        {action && <div style={{ flexShrink: 0 }}>{action}</div>}
      </Group>
      {children}
    </Paper>
  );
}

/** `ready: false` says why, never a zero. */
export function NotReady({ reason }: { reason: string | undefined }) {
  return (
    <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Not ready yet" data-testid="not-ready">
      {reason ?? 'There is not enough history yet.'}
    </Alert>
  );
}

/** Daily revenue with the unusual days marked, and each unusual day in words. */
export function SalesAnomalies() {
  const dates = useDates();
  const anomalies = useAnomalies();
  const days = useSalesDays();
  const query = anomalies.isError ? anomalies : days;
  if (anomalies.isPending || days.isPending) return <CenteredLoader label="Checking the last 90 days" />;
  if (!anomalies.data || !days.data) return <QueryError title="Could not check the sales" error={query.error} onRetry={() => void query.refetch()} />;
  const a = anomalies.data;
  return (
    <InsightPanel
      testId="sales-anomalies"
      title="Revenue each day, and the unusual days"
      description="Payments less refunds each day (subscriptions and counter sales). A coloured line marks a day whose revenue, counter sales, refunds or failed payments fell outside what that weekday usually brings (red: worse than usual, green: better); the table below says what happened on each."
      action={<InsightExportButton input={{ table: 'anomalies' }} disabled={!a.ready || a.anomalies.length === 0} />}
    >
      <Suspense fallback={<CenteredLoader label="Drawing the chart" />}>
        <SalesChart days={days.data.days} anomalies={a.ready ? a.anomalies : []} />
      </Suspense>
      {!a.ready ? (
        <NotReady reason={a.reason} />
      ) : (
        <Stack gap="xs" mt="sm">
          <Text size="sm" data-testid="anomalies-summary">
            {anomaliesSummary({ ...a, from: dates.day(a.from), to: dates.day(a.to) })}
          </Text>
          {a.anomalies.length > 0 && (
            <TableCard minWidth={640} columns={['Date', 'What', { label: 'Direction', width: 110 }, 'In words']}>
              {a.anomalies.map((x) => (
                <Table.Tr key={`${x.date}-${x.metric}`} data-testid="anomaly-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <DateText date={x.date} />
                  </Table.Td>
                  <Table.Td>{METRIC_WORDS[x.metric]}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={(x.metric === 'revenue' || x.metric === 'sales') === (x.direction === 'up') ? 'teal' : 'red'}>
                      {x.direction === 'up' ? 'Higher' : 'Lower'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{x.text}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </TableCard>
          )}
        </Stack>
      )}
    </InsightPanel>
  );
}

/** The top products of the last 90 days by revenue, with units and buyers. */
export function BestSellers() {
  const money = useMoney();
  const dates = useDates();
  const products = useProductInsights();
  if (products.isPending) return <CenteredLoader label="Counting the best sellers" />;
  if (!products.data) return <QueryError title="Could not load the best sellers" error={products.error} onRetry={() => void products.refetch()} />;
  const p = products.data;
  return (
    <InsightPanel
      testId="best-sellers"
      title="Best sellers"
      description={`Counter sales from ${dates.day(p.from)} to ${dates.day(p.to)}, after refunds, the most revenue first. “Buyers” counts the named customers who bought it (walk-in sales are not counted there).`}
      action={<InsightExportButton input={{ table: 'best-sellers' }} disabled={!p.ready || p.bestSellers.length === 0} />}
    >
      {!p.ready ? (
        <NotReady reason={p.reason} />
      ) : p.bestSellers.length === 0 ? (
        <Text size="sm">No product was sold in this period.</Text>
      ) : (
        <TableCard minWidth={620} columns={[{ label: '#', width: 48 }, 'Product', { label: 'Units', align: 'right' }, { label: 'Revenue', align: 'right' }, { label: 'Buyers', align: 'right' }]}>
          {p.bestSellers.slice(0, 20).map((b) => (
            <Table.Tr key={b.productId} data-testid="best-seller-row">
              <Table.Td>{b.rankByRevenue}</Table.Td>
              <Table.Td>
                <ProductCell name={b.name} sku={b.sku} />
              </Table.Td>
              <Table.Td ta="right">{b.units.toLocaleString(money.locale)}</Table.Td>
              <Table.Td ta="right">{money.format(b.revenue)}</Table.Td>
              <Table.Td ta="right">{b.customers.toLocaleString(money.locale)}</Table.Td>
            </Table.Tr>
          ))}
        </TableCard>
      )}
    </InsightPanel>
  );
}

const units = (n: number) => (Math.round(n * 10) / 10).toLocaleString('en-US');

/** Next week's expected units per product with its 80 % band, and when the stock runs out. */
export function Demand() {
  const products = useProductInsights();
  if (products.isPending) return <CenteredLoader label="Forecasting demand" />;
  if (!products.data) return <QueryError title="Could not load the demand" error={products.error} onRetry={() => void products.refetch()} />;
  const p = products.data;
  const bt = p.backtest.demand;
  return (
    <InsightPanel
      testId="demand"
      title="Demand per product"
      description="How many units each product should sell next week, learnt from its weekly sales. The range is where 8 weeks in 10 should fall; “runs out” counts the days until the stock on hand is sold at that pace."
      action={<InsightExportButton input={{ table: 'demand' }} disabled={!p.ready || p.demand.length === 0} />}
    >
      {!p.ready ? (
        <NotReady reason={p.reason} />
      ) : p.demand.length === 0 ? (
        <Text size="sm">No product has enough weekly sales to forecast yet.</Text>
      ) : (
        <Stack gap="xs">
          <TableCard minWidth={760} columns={['Product', { label: 'Next week', align: 'right' }, { label: 'Likely range', align: 'right' }, { label: 'In stock', align: 'right' }, { label: 'Runs out', align: 'right' }, 'In words']}>
            {p.demand.map((d) => {
              const next = d.weeks[0];
              return (
                <Table.Tr key={d.productId} data-testid="demand-row">
                  <Table.Td>
                    <ProductCell name={d.name} sku={d.sku} />
                  </Table.Td>
                  <Table.Td ta="right">{next ? units(next.quantity) : '—'}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {next ? `${units(next.low)} – ${units(next.high)}` : '—'}
                  </Table.Td>
                  <Table.Td ta="right">{d.stock === null ? 'not tracked' : d.stock}</Table.Td>
                  <Table.Td ta="right">
                    {d.stockoutInDays === null ? (
                      '—'
                    ) : (
                      <Text span size="sm" fw={d.stockoutInDays <= 14 ? 600 : undefined} c={d.stockoutInDays <= 14 ? 'red' : undefined} style={{ whiteSpace: 'nowrap' }}>
                        in {d.stockoutInDays} {d.stockoutInDays === 1 ? 'day' : 'days'}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.text}</Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </TableCard>
          <Text size="sm" c="dimmed" data-testid="demand-backtest">
            {bt.text}
          </Text>
        </Stack>
      )}
    </InsightPanel>
  );
}
