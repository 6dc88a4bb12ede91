import { Anchor, Group, Loader, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconBox, IconCircleCheck, IconUserExclamation, IconWaveSine } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useAlertSources } from '../api/use-alert-sources';
import { useSummary } from '../api/use-summary';
import { alertItems, type InsightAlert } from '../alert-items';

const LOOK = {
  churn: { color: 'red', icon: IconUserExclamation, label: 'Customer at risk' },
  anomaly: { color: 'orange', icon: IconWaveSine, label: 'Unusual day' },
  stock: { color: 'yellow', icon: IconBox, label: 'Stock' },
} as const;

/** What needs a look: high-risk customers, unusual days, products running out. A model that is not ready says why. */
export function AlertList({ asOf }: { asOf: string }) {
  const { churn, anomalies, products } = useAlertSources(asOf);
  const loading = churn.isPending || anomalies.isPending || products.isPending;
  const alerts = alertItems({ churn: churn.data, anomalies: anomalies.data, products: products.data });
  // The summary counts every customer at high risk; the alerts name the first few.
  const highRisk = useSummary(asOf).data?.facts.find((f) => f.key === 'churn.high')?.value;
  const named = alerts.filter((a) => a.kind === 'churn').length;
  const unnamed = typeof highRisk === 'number' ? highRisk - named : 0;
  const notReady = [
    churn.data && !churn.data.ready ? `Churn risk: ${churn.data.reason ?? 'not ready.'}` : null,
    anomalies.data && !anomalies.data.ready ? `Unusual days: ${anomalies.data.reason ?? 'not ready.'}` : null,
  ].filter((x): x is string => x !== null);
  const failed = [churn, anomalies, products].find((q) => q.isError);
  return (
    <Paper withBorder radius="md" p="md" h="100%" data-testid="insights-alerts">
      <Group gap="xs" mb="sm" wrap="nowrap">
        <IconAlertTriangle size={18} aria-hidden />
        <Title order={3} fz="md">
          Needs a look
        </Title>
      </Group>
      {loading && (
        <Group gap="xs" py="sm">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Checking customers, days and stock…
          </Text>
        </Group>
      )}
      {!loading && (
        <Stack gap="sm">
          {alerts.map((a) => (
            <AlertRow key={a.key} alert={a} />
          ))}
          {unnamed > 0 && (
            <Text size="xs" c="dimmed" data-testid="alert-more-at-risk">
              And {unnamed} more {unnamed === 1 ? 'customer' : 'customers'} at high risk: Customers, sorted by risk, lists them all.
            </Text>
          )}
          {alerts.length === 0 && !failed && (
            <Group gap="xs" wrap="nowrap">
              <ThemeIcon variant="light" color="teal" radius="xl" size="md">
                <IconCircleCheck size={16} />
              </ThemeIcon>
              <Text size="sm">Nothing needs a look: no customer at high risk, no unusual day, no product running out.</Text>
            </Group>
          )}
          {failed?.error && (
            <Text size="sm" c="red">
              Could not check everything: {failed.error.message}
            </Text>
          )}
          {notReady.map((r) => (
            <Text key={r} size="xs" c="dimmed" data-testid="alert-not-ready">
              {r}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function AlertRow({ alert }: { alert: InsightAlert }) {
  const look = LOOK[alert.kind];
  const Icon = look.icon;
  return (
    <Group gap="sm" align="flex-start" wrap="nowrap" data-testid="insight-alert" data-kind={alert.kind}>
      <ThemeIcon variant="light" color={look.color} radius="xl" size="md" aria-label={look.label}>
        <Icon size={16} />
      </ThemeIcon>
      <div style={{ minWidth: 0 }}>
        {alert.to ? (
          <Anchor component={Link} to={alert.to} size="sm" fw={600}>
            {alert.title}
          </Anchor>
        ) : (
          <Text size="sm" fw={600}>
            {alert.title}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {alert.text}
        </Text>
      </div>
    </Group>
  );
}
