import { Badge, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconArrowDownRight, IconArrowUpRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { CustomerInsightOutput } from '@shared/contract/insights-summary';
import { QueryError } from '../../../components/QueryError';
import { useMoney } from '../../../lib/money';
import { useCustomerInsight } from '../api/use-customer-insight';

const BAND = { high: { color: 'red', label: 'High risk' }, medium: { color: 'orange', label: 'Medium risk' }, low: { color: 'teal', label: 'Low risk' } } as const;

/** The customer page's insights: churn risk with its reasons, lifetime value with its working, and what to offer next. */
export function CustomerInsightPanel({ customerId, name }: { customerId: string; name: string }) {
  const insight = useCustomerInsight(customerId);
  return (
    <Paper withBorder radius="md" p="md" mt="md" data-testid="customer-insight" aria-busy={insight.isFetching}>
      <Title order={3} fz="md">
        Insights
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Worked out on this PC from your own books, as of today.
      </Text>
      {insight.isPending && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Reading the books…
          </Text>
        </Group>
      )}
      {insight.isError && <QueryError title="Could not work out the insights" error={insight.error} onRetry={() => void insight.refetch()} />}
      {insight.data && (
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
          <ChurnPart data={insight.data} name={name} />
          <LtvPart data={insight.data} name={name} />
          <NextBestPart data={insight.data} name={name} />
        </SimpleGrid>
      )}
    </Paper>
  );
}

function Part({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Stack gap={6} data-testid={testId}>
      <Text size="sm" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

function ChurnPart({ data, name }: { data: CustomerInsightOutput; name: string }) {
  const churn = data.churn;
  if (!churn.ready) {
    return (
      <Part title="Churn risk" testId="insight-churn">
        <Text size="sm">Not ready yet.</Text>
        <Text size="sm" c="dimmed" data-testid="insight-churn-reason">
          {churn.reason}
        </Text>
      </Part>
    );
  }
  const c = churn.customer;
  if (!c) {
    return (
      <Part title="Churn risk" testId="insight-churn">
        <Text size="sm">Not scored: {name} pays nothing today, so there is no revenue to lose.</Text>
      </Part>
    );
  }
  const band = BAND[c.band];
  return (
    <Part title="Churn risk" testId="insight-churn">
      <Group gap="sm" align="baseline">
        <Text fz={28} fw={700} lh={1} data-testid="insight-churn-score">
          {c.score} %
        </Text>
        <Badge color={band.color} variant="light">
          {band.label}
        </Badge>
      </Group>
      <Text size="sm">
        The chance that {name} cancels everything in the next 90 days
        {churn.rank !== null ? `; riskiest ${churn.rank} of ${churn.scored} paying customers.` : '.'}
      </Text>
      <Text size="xs" fw={600} mt={4}>
        Why
      </Text>
      <Stack gap={4} data-testid="insight-churn-factors">
        {c.factors.map((f) => (
          <Group key={f.factor} gap={6} wrap="nowrap" align="flex-start">
            {f.effect >= 0 ? <IconArrowUpRight size={16} color="var(--mantine-color-red-6)" aria-label="raises the risk" /> : <IconArrowDownRight size={16} color="var(--mantine-color-teal-6)" aria-label="lowers the risk" />}
            <Text size="sm">{f.text}</Text>
          </Group>
        ))}
      </Stack>
      {churn.bands && (
        <Text size="xs" c="dimmed">
          {churn.bands.text}
        </Text>
      )}
      {churn.backtest && (
        <Text size="xs" c="dimmed">
          {churn.backtest}
        </Text>
      )}
    </Part>
  );
}

function LtvPart({ data, name }: { data: CustomerInsightOutput; name: string }) {
  const money = useMoney();
  const ltv = data.ltv;
  return (
    <Part title="Lifetime value" testId="insight-ltv">
      {ltv.ltv === null ? (
        <Text size="sm">No estimate.</Text>
      ) : (
        <>
          <Text fz={28} fw={700} lh={1} data-testid="insight-ltv-amount">
            {money.format(ltv.ltv)}
          </Text>
          <Text size="sm">What {name} is expected to bring in from today until leaving, if they behave like similar customers have.</Text>
        </>
      )}
      <Text size="xs" c="dimmed" data-testid="insight-ltv-basis">
        {ltv.basis}
      </Text>
    </Part>
  );
}

function NextBestPart({ data, name }: { data: CustomerInsightOutput; name: string }) {
  const p = data.products;
  return (
    <Part title="Offer next" testId="insight-next-best">
      {!p.ready ? (
        <Text size="sm" c="dimmed">
          {p.reason}
        </Text>
      ) : p.nextBest.length === 0 ? (
        <Text size="sm">Nothing to suggest for {name} yet: counter sales show no product that usually comes next.</Text>
      ) : (
        <Stack gap={6}>
          {p.nextBest.map((n, i) => (
            <div key={n.productId} data-testid="insight-next-best-item">
              <Text size="sm" fw={600}>
                {i + 1}. {n.name} <Text span size="xs" c="dimmed">({n.sku})</Text>
              </Text>
              <Text size="xs" c="dimmed">
                {n.because}
              </Text>
            </div>
          ))}
        </Stack>
      )}
      <Text size="xs" c="dimmed">
        {p.backtest}
      </Text>
    </Part>
  );
}
